using Raven.Api;
using Raven.Controller.Runtime;

namespace Raven.Cli.Diagnose;

/// <summary>Every node in exactly one domain: its raven.openyurt.io/gateway label names a Gateway that exists.</summary>
internal static class NodeMembershipCheck
{
    public const string Name = "node-gateway";

    public static IEnumerable<CheckResult> Run(DiagnoseContext context)
    {
        var findings = new List<CheckResult>();
        foreach (var node in context.Nodes)
        {
            var name = node.Metadata.Name;
            var gateway = NodeFactsReader.GatewayOf(node);
            if (string.IsNullOrEmpty(gateway))
            {
                findings.Add(CheckResult.Warning(Name, $"node {name}: not in any domain (no {WellKnown.GatewayLabel} label): other domains reach it only through the L7 proxy",
                    $"put it in a domain: kubectl label node {name} {WellKnown.GatewayLabel}=GATEWAY"));
            }
            else if (!context.Gateways.ContainsKey(gateway))
            {
                findings.Add(CheckResult.Failed(Name, $"node {name}: labelled {WellKnown.GatewayLabel}={gateway}, but there is no Gateway {gateway}: it is in no domain",
                    $"create Gateway {gateway}, or relabel it: kubectl label node {name} {WellKnown.GatewayLabel}=GATEWAY --overwrite"));
            }
        }

        return findings.OrPass(Name, $"{context.Nodes.Count} node(s), each labelled for one of {context.Gateways.Count} existing Gateway(s)");
    }
}
