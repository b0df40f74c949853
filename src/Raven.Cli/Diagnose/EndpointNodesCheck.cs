using Raven.Api;
using Raven.Controller.Runtime;
using Raven.Kube.Models;

namespace Raven.Cli.Diagnose;

/// <summary>
/// Gateway endpoints must name existing, Ready members of that Gateway: the controller never elects anything else,
/// so such an endpoint is a standby that can never take over (or, when active, a domain without a working gateway).
/// </summary>
internal static class EndpointNodesCheck
{
    public const string Name = "endpoint-nodes";

    public static IEnumerable<CheckResult> Run(DiagnoseContext context)
    {
        var findings = new List<CheckResult>();
        var count = 0;
        foreach (var gateway in context.SortedGateways)
        {
            var actives = (gateway.Status?.ActiveEndpoints ?? []).Select(e => (e.NodeName ?? "", e.Type)).ToHashSet();
            foreach (var endpoint in gateway.Spec?.Endpoints ?? [])
            {
                count++;
                var node = endpoint.NodeName ?? "";
                var subject = $"gateway {gateway.Name}: {endpoint.Type} endpoint {node}";
                if (!context.NodesByName.TryGetValue(node, out var found))
                {
                    findings.Add(CheckResult.Failed(Name, $"{subject}: there is no node {node}",
                        $"remove it from spec.endpoints (kubectl edit gateway {gateway.Name}), or join node {node}"));
                }
                else if (NodeFactsReader.GatewayOf(found) is var member && member != gateway.Name)
                {
                    // The controller elects members only: the label decides, not the endpoint list.
                    var relabel = $"kubectl label node {node} {WellKnown.GatewayLabel}={gateway.Name} --overwrite";
                    findings.Add(string.IsNullOrEmpty(member)
                        ? CheckResult.Failed(Name, $"{subject}: node {node} is not a member (no {WellKnown.GatewayLabel} label), so it is never elected", relabel)
                        : CheckResult.Failed(Name, $"{subject}: node {node} is labelled {WellKnown.GatewayLabel}={member}, so it is never elected here",
                            $"list the endpoint in Gateway {member}, or relabel: {relabel}"));
                }
                else if (!found.IsReady())
                {
                    var active = actives.Contains((node, endpoint.Type));
                    var message = $"{subject}: node {node} is NotReady" + (active ? " and still active" : ": it cannot take over");
                    var remedy = $"bring node {node} back (kubectl describe node {node}: kubelet, network), or list another endpoint";
                    findings.Add(active ? CheckResult.Failed(Name, message, remedy) : CheckResult.Warning(Name, message, remedy));
                }
            }
        }

        return findings.OrPass(Name, $"{count} endpoint(s), each naming an existing, Ready member of its Gateway");
    }
}
