using System.Globalization;
using Raven.Api;
using Raven.Controller.Runtime;
using Raven.Kube.Models;

namespace Raven.Cli.Diagnose;

/// <summary>
/// Each agent renews Lease kube-system/raven-agent-NODE every third of its duration. Late by up to three durations
/// is an agent restarting or a slow API; beyond that the agent is gone, and the controller will not elect the node.
/// </summary>
internal static class AgentLeaseCheck
{
    public const string Name = "agent-leases";

    /// <summary>Past this many durations without a renewal the agent is taken as dead, not late.</summary>
    public const int DeadAfterDurations = 3;

    public static IEnumerable<CheckResult> Run(DiagnoseContext context)
    {
        var findings = new List<CheckResult>();
        var held = 0;
        foreach (var node in context.Nodes)
        {
            var name = node.Metadata.Name;
            var lease = $"{WellKnown.WorkingNamespace}/{NodeFactsReader.AgentLeasePrefix}{name}";
            var pods = $"kubectl -n {WellKnown.WorkingNamespace} get pods -o wide --field-selector spec.nodeName={name}";
            if (!context.Leases.TryGetValue(name, out var found))
            {
                findings.Add(CheckResult.Warning(Name, $"node {name}: no agent Lease {lease}: no raven agent has run there", $"is raven-agent scheduled on it? {pods}"));
                continue;
            }

            var duration = NodeFactsReader.LeaseDuration(found);
            if (found.Spec?.RenewTime is not { } renewed || duration <= TimeSpan.Zero)
            {
                findings.Add(CheckResult.Warning(Name, $"node {name}: agent Lease {lease} has no renewTime or leaseDurationSeconds", $"check the node's raven-agent pod: {pods}"));
                continue;
            }

            held++;
            var age = context.Now - renewed.AsUtc();
            var ageText = Seconds(age) + " s ago (duration " + Seconds(duration) + " s)";
            if (age > DeadAfterDurations * duration)
            {
                findings.Add(CheckResult.Failed(Name, $"node {name}: agent Lease {lease} last renewed {ageText}: the agent is gone",
                    $"restart or fix the node's raven-agent pod ({pods}; then kubectl logs it)"));
            }
            else if (age > duration)
            {
                findings.Add(CheckResult.Warning(Name, $"node {name}: agent Lease {lease} expired, last renewed {ageText}: the agent is late or restarting",
                    $"run diagnose again in a minute; if it stays, see the agent's logs ({pods})"));
            }
        }

        return findings.OrPass(Name, $"{held} node(s), each agent's Lease renewed within its duration");
    }

    private static string Seconds(TimeSpan span) => Math.Round(span.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
