using System.Globalization;
using Raven.Controller.Runtime;
using Raven.Kube.Models;

namespace Raven.Cli.Diagnose;

/// <summary>
/// Agents stamp renewTime with their node's clock and everyone else judges it with theirs: a renewal from the future
/// means a clock runs ahead, and lease ages (and expiry) stop meaning anything.
/// </summary>
internal static class ClockSkewCheck
{
    public const string Name = "clock-skew";

    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(5);

    public static IEnumerable<CheckResult> Run(DiagnoseContext context)
    {
        var findings = new List<CheckResult>();
        foreach (var (node, lease) in context.Leases.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            if (lease.Spec?.RenewTime is { } renewed && renewed.AsUtc() - context.Now is var ahead && ahead > Tolerance)
            {
                findings.Add(CheckResult.Warning(Name,
                    $"node {node}: agent Lease {NodeFactsReader.AgentLeasePrefix}{node} was renewed {Math.Round(ahead.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s in the future: its clock runs ahead of this machine's (or this one's behind)",
                    "synchronise clocks (chrony or systemd-timesyncd) on that node and here"));
            }
        }

        return findings.OrPass(Name, $"no agent Lease renewed more than {Tolerance.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s in the future");
    }
}
