using System.Text.Json;
using Raven.TestSupport.Network;

namespace Raven.Bench.Dataplane;

/// <summary>One bounded iperf3 TCP run pod → pod: a one-shot server and a client with -t seconds, both stopped by PID.</summary>
internal static class Iperf
{
    public static async Task<double> GbitPerSecondAsync(TestNamespace client, TestNamespace server, string serverIp, int seconds)
    {
        using var daemon = BackgroundProcess.StartIn(server, "iperf3", "-s", "-1", "-B", serverIp, "-p", "5299");
        await Task.Delay(500);
        using var run = BackgroundProcess.StartIn(client, "iperf3", "-c", serverIp, "-p", "5299", "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-J");
        if (!await run.WaitAsync(TimeSpan.FromSeconds(seconds + 30)))
        {
            throw new TimeoutException($"iperf3 client did not finish within {seconds + 30} s");
        }

        using var json = JsonDocument.Parse(run.StandardOutput);
        if (json.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"iperf3: {error.GetString()}");
        }

        return json.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble() / 1e9;
    }
}
