using System.Diagnostics;
using System.Globalization;

namespace Raven.TestSupport.Network;

/// <summary>
/// ping every 50 ms in a namespace (tracked by PID) from the moment it starts; <see cref="WaitAsync"/> returns how
/// long after the start the first echo reply came back, null if none did before the deadline.
/// </summary>
public sealed class FirstReply : IDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _clock;
    private readonly Task<TimeSpan?> _first;

    private FirstReply(Process process, Stopwatch clock)
    {
        _process = process;
        _clock = clock;
        _first = ReadAsync();
    }

    public static FirstReply Start(string ns, string target, TimeSpan deadline)
    {
        var info = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        var count = ((int)(deadline.TotalMilliseconds / 50)).ToString(CultureInfo.InvariantCulture);
        foreach (var word in new[] { "netns", "exec", ns, "ping", "-n", "-i", "0.05", "-W", "1", "-c", count, target })
        {
            info.ArgumentList.Add(word);
        }

        var clock = Stopwatch.StartNew();
        return new FirstReply(Process.Start(info) ?? throw new InvalidOperationException("cannot start ping"), clock);
    }

    public async Task<TimeSpan?> WaitAsync() => await _first;

    private async Task<TimeSpan?> ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.Contains(" bytes from ", StringComparison.Ordinal))
            {
                var at = _clock.Elapsed;
                Dispose();
                return at;
            }
        }

        return null;
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
    }
}
