using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Raven.Network.Tests.Agent;

/// <summary>ping (every 0.2 s unless told) running in a namespace, tracked by PID; the summary gives sent and received counts.</summary>
internal sealed partial class BackgroundPing : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _output;

    private BackgroundPing(Process process)
    {
        _process = process;
        _output = process.StandardOutput.ReadToEndAsync();
    }

    public int Pid => _process.Id;

    /// <param name="timeline">Each line stamped with the wall clock (-D) and each unanswered request named (-O), to put a
    /// gap beside the lab's logs.</param>
    public static BackgroundPing Start(string ns, string target, int count, string interval = "0.2", bool timeline = false)
    {
        var info = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        string[] stamps = timeline ? ["-D", "-O"] : [];
        foreach (var word in (string[])["netns", "exec", ns, "ping", "-n", .. stamps, "-i", interval, "-W", "1", "-c", count.ToString(CultureInfo.InvariantCulture), target])
        {
            info.ArgumentList.Add(word);
        }

        return new BackgroundPing(Process.Start(info) ?? throw new InvalidOperationException("cannot start ping"));
    }

    /// <summary>Waits for the ping to finish and returns (transmitted, received).</summary>
    public async Task<(int Sent, int Received, string Output)> ResultAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        await _process.WaitForExitAsync(timeout.Token);
        var output = await _output;
        var match = Summary().Match(output);
        match.Success.Should().BeTrue($"ping printed a summary: {output}");
        return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), output);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"(\d+) packets transmitted, (\d+) received")]
    private static partial Regex Summary();
}
