using System.Globalization;
using Raven.TestSupport.Network;

namespace Raven.Bench.Dataplane;

/// <summary>
/// ping every 10 ms with receive timestamps (-D), stopped by PID. The outage is the longest time between two
/// consecutive replies, so it counts wall time (a late-sent ping on a loaded machine is not a lost one) and
/// includes one 10 ms interval.
/// </summary>
internal sealed class TimedPing : IDisposable
{
    private readonly BackgroundProcess _ping;
    private readonly int _seconds;

    private TimedPing(BackgroundProcess ping, int seconds) => (_ping, _seconds) = (ping, seconds);

    public static TimedPing Start(TestNamespace from, string target, int seconds) => new(BackgroundProcess.StartIn(from, "ping", "-n", "-D", "-i", "0.01", "-W", "1",
        "-c", (seconds * 100).ToString(CultureInfo.InvariantCulture), "-w", (seconds + 10).ToString(CultureInfo.InvariantCulture), target), seconds);

    /// <summary>Waits for the ping to end; the longest gap between replies in ms, or null when no reply came after <paramref name="failedAt"/> (Unix seconds).</summary>
    public async Task<(double? OutageMs, int Lost)> ResultAsync(double failedAt)
    {
        if (!await _ping.WaitAsync(TimeSpan.FromSeconds(_seconds + 20)))
        {
            throw new TimeoutException("ping did not finish");
        }

        var replies = _ping.StandardOutput.Split('\n')
            .Where(l => l.StartsWith('[') && l.Contains("bytes from", StringComparison.Ordinal))
            .Select(l => double.Parse(l[1..l.IndexOf(']', StringComparison.Ordinal)], CultureInfo.InvariantCulture))
            .ToList();
        // With -w, ping -c keeps sending until it has COUNT replies: the loss is transmitted − received from its summary.
        var summary = System.Text.RegularExpressions.Regex.Match(_ping.StandardOutput, @"(\d+) packets transmitted, (\d+) received");
        int lost = summary.Success ? int.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture) - int.Parse(summary.Groups[2].Value, CultureInfo.InvariantCulture) : -1;
        if (replies.Count < 2 || replies[^1] < failedAt)
        {
            return (null, lost);
        }

        return (replies.Zip(replies.Skip(1), (a, b) => (b - a) * 1000).Max(), lost);
    }

    public void Dispose() => _ping.Dispose();
}
