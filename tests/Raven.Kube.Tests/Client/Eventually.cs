namespace Raven.Kube.Tests.Client;

/// <summary>Poll-with-deadline for asynchronous outcomes; fails with a description instead of sleeping blindly.</summary>
internal static class Eventually
{
    public static async Task True(Func<bool> condition, string what, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {seconds}s: {what}");
            }

            await Task.Delay(10);
        }
    }
}
