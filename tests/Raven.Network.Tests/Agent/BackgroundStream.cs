using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Raven.Network.Tests.Agent;

/// <summary>
/// One TCP stream between two pod namespaces: an iperf3 server (one test, then it exits) and a rate-limited client
/// reporting every 0.1 s in JSON. Both tracked by PID. A reset or a stall iperf3 gives up on ends in its "error".
/// </summary>
internal sealed class BackgroundStream : IDisposable
{
    private const string Port = "5211";
    private readonly Process _server;
    private readonly Process _client;
    private readonly Task<string> _output;

    private BackgroundStream(Process server, Process client)
    {
        _server = server;
        _client = client;
        _output = client.StandardOutput.ReadToEndAsync();
    }

    public static async Task<BackgroundStream> StartAsync(string serverNs, string serverIp, string clientNs, int seconds)
    {
        var server = Start(serverNs, "iperf3", "-s", "-1", "-p", Port);
        // The server needs a moment to listen; poll its port instead of sleeping a fixed time.
        var listening = await Raven.TestSupport.Poll.TryUntilAsync(() =>
            Raven.TestSupport.Network.Shell.Run("ip", ["netns", "exec", serverNs, "ss", "-Htln", $"sport = :{Port}"]).Trim().Length > 0,
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
        listening.Should().BeTrue("iperf3 listens");
        var client = Start(clientNs, "iperf3", "-c", serverIp, "-p", Port, "-t", seconds.ToString(CultureInfo.InvariantCulture),
            "-i", "0.1", "-b", "20M", "-J");
        return new BackgroundStream(server, client);
    }

    /// <summary>Waits for the client; the bytes it moved per 0.1 s interval, and iperf3's error (null: none).</summary>
    public async Task<(IReadOnlyList<long> Bytes, string? Error, int ExitCode)> ResultAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        await _client.WaitForExitAsync(timeout.Token);
        var text = await _output;
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        var error = root.TryGetProperty("error", out var e) ? e.GetString() : null;
        var bytes = root.TryGetProperty("intervals", out var intervals)
            ? intervals.EnumerateArray().Select(i => i.GetProperty("sum").GetProperty("bytes").GetInt64()).ToList()
            : [];
        return (bytes, error, _client.ExitCode);
    }

    public void Dispose()
    {
        foreach (var process in new[] { _client, _server })
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
        }
    }

    private static Process Start(string ns, params string[] command)
    {
        var info = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in new[] { "netns", "exec", ns }.Concat(command))
        {
            info.ArgumentList.Add(word);
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"cannot start {command[0]}");
    }
}
