using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Raven.Agent.Linux.Processes;

namespace Raven.Lab.Run;

/// <summary>What crossed a failover: lost 10 ms pings per direction, and whether a TCP stream ran on without a reset.</summary>
public sealed record FailoverTraffic(int LostThere, int LostBack, bool StreamSurvived, string StreamDetail)
{
    /// <summary>10 ms per lost ping.</summary>
    public TimeSpan OutageThere => TimeSpan.FromMilliseconds(LostThere * 10);

    public TimeSpan OutageBack => TimeSpan.FromMilliseconds(LostBack * 10);

    public string Figure => string.Create(CultureInfo.InvariantCulture,
        $"{OutageThere.TotalSeconds:0.00}s / {OutageBack.TotalSeconds:0.00}s outage, TCP {(StreamSurvived ? "survived" : "broken")}");
}

/// <summary>
/// Runs traffic across a failure: a 10 ms ping each way between two pods and an iperf3 stream (rate-limited, one-shot
/// server) from the first to the second, all inside the lab's namespaces and bounded in time. The failure is
/// injected <see cref="Lead"/> after the traffic starts.
/// </summary>
public sealed partial class LabFailoverTraffic(ICommandRunner runner)
{
    public static readonly TimeSpan Lead = TimeSpan.FromSeconds(1.5);
    // Long enough to span the failure (after Lead) and an outage past the 1 s goal, short enough not to dominate lab up.
    private const int Seconds = 4;
    private const string Port = "5211";

    public async Task<FailoverTraffic> AcrossAsync(string fromPod, IPAddress fromAddress, string toPod, IPAddress toAddress,
        Func<CancellationToken, Task> failure, CancellationToken cancellationToken)
    {
        var server = runner.RunAsync(new CommandLine("ip", "netns", "exec", toPod, "timeout", "30", "iperf3", "-s", "-1", "-p", Port), cancellationToken);
        await Task.Delay(300, cancellationToken).ConfigureAwait(false); // the one-shot server binds; the client retries below otherwise
        var there = Ping(fromPod, toAddress, cancellationToken);
        var back = Ping(toPod, fromAddress, cancellationToken);
        var stream = runner.RunAsync(new CommandLine("ip", "netns", "exec", fromPod, "timeout", "30", "iperf3", "-c", toAddress.ToString(), "-p", Port,
            "-t", Seconds.ToString(CultureInfo.InvariantCulture), "-b", "20M", "-J"), cancellationToken);
        await Task.Delay(Lead, cancellationToken).ConfigureAwait(false);
        await failure(cancellationToken).ConfigureAwait(false);
        var (lostThere, lostBack) = (Lost((await there.ConfigureAwait(false)).StandardOutput), Lost((await back.ConfigureAwait(false)).StandardOutput));
        var client = await stream.ConfigureAwait(false);
        await server.ConfigureAwait(false);
        var (survived, detail) = Stream(client);
        return new FailoverTraffic(lostThere, lostBack, survived, detail);
    }

    private Task<CommandResult> Ping(string ns, IPAddress target, CancellationToken cancellationToken) =>
        runner.RunAsync(new CommandLine("ip", "netns", "exec", ns, "ping", "-n", "-q", "-i", "0.01", "-W", "1",
            "-c", (Seconds * 100).ToString(CultureInfo.InvariantCulture), target.ToString()), cancellationToken);

    /// <summary>Transmitted minus received from ping's summary; all of them when it printed none.</summary>
    private static int Lost(string output)
    {
        var match = Summary().Match(output);
        return match.Success
            ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) - int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)
            : Seconds * 100;
    }

    private static (bool Survived, string Detail) Stream(CommandResult client)
    {
        try
        {
            using var json = JsonDocument.Parse(client.StandardOutput);
            if (json.RootElement.TryGetProperty("error", out var error))
            {
                return (false, $"iperf3: {error.GetString()}");
            }

            var bytes = json.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bytes").GetInt64();
            return (client.ExitCode == 0 && bytes > 0, string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB received over {Seconds} s"));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (false, $"iperf3 exited {client.ExitCode}: {client.StandardError.Trim()}");
        }
    }

    [GeneratedRegex(@"(\d+) packets transmitted, (\d+) received")]
    private static partial Regex Summary();
}
