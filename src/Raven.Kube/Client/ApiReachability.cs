using Microsoft.Extensions.Logging;
using Raven.Kube.Resilience;
using k8s;

namespace Raven.Kube.Client;

/// <summary>Start-up against an API server that may not answer yet: wait for it, saying so once, instead of failing.</summary>
public static class ApiReachability
{
    private static readonly TimeSpan Reminder = TimeSpan.FromSeconds(30);

    /// <summary>Returns once GET /version gets any HTTP answer; throws only <see cref="OperationCanceledException"/>.</summary>
    public static async Task WaitUntilReachableAsync(KubeClient client, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(logger);
        var backoff = new Backoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5), BackoffJitter.UpToHalfMore);
        DateTimeOffset? failingSince = null;
        var lastReminder = DateTimeOffset.MinValue;
        while (true)
        {
            try
            {
                await client.Api.Version.GetCodeAsync(cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (e.IsApiError() || e is System.Text.Json.JsonException)
            {
                break; // it answered: authorization (or the body) of /version is not ours to judge
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutException or IOException)
            {
                var now = client.Time.GetUtcNow();
                if (failingSince is null)
                {
                    failingSince = now;
                    lastReminder = now;
                    logger.LogWarning("waiting for the API server {Server}: {Error}", client.ServerDisplay, e.Message);
                }
                else if (now - lastReminder >= Reminder)
                {
                    lastReminder = now;
                    logger.LogWarning("still waiting for the API server {Server} after {Seconds:0}s: {Error}", client.ServerDisplay, (now - failingSince.Value).TotalSeconds, e.Message);
                }
            }

            await Task.Delay(backoff.Next(), client.Time, cancellationToken).ConfigureAwait(false);
        }

        if (failingSince is { } since)
        {
            logger.LogInformation("the API server {Server} answers (after {Seconds:0.0}s)", client.ServerDisplay, (client.Time.GetUtcNow() - since).TotalSeconds);
        }
    }
}
