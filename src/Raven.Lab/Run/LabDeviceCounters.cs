using System.Globalization;
using Raven.Agent.Linux.Processes;

namespace Raven.Lab.Run;

/// <summary>A device's byte counters inside a lab namespace, as the kernel keeps them (sysfs as that namespace sees it).</summary>
public static class LabDeviceCounters
{
    /// <summary>rx and tx bytes; (0, 0) when the device does not exist.</summary>
    public static async Task<(long Rx, long Tx)> ReadAsync(ICommandRunner runner, string netns, string device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var statistics = $"/sys/class/net/{device}/statistics";
        var result = await runner.RunAsync(new CommandLine("ip", "netns", "exec", netns, "cat", $"{statistics}/rx_bytes", $"{statistics}/tx_bytes"), cancellationToken)
            .ConfigureAwait(false);
        var values = result.Succeeded ? result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        return values.Length == 2 && long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var rx)
                                  && long.TryParse(values[1], NumberStyles.None, CultureInfo.InvariantCulture, out var tx)
            ? (rx, tx)
            : (0, 0);
    }
}
