using Raven.Controller.Runtime;

namespace Raven.Cli.Diagnose;

/// <summary>
/// Domain members need an InternalIP (the tunnel carries traffic to it) and a pod CIDR (the routes other domains
/// install). On a gateway endpoint either gap breaks the whole domain, so it fails; on other members it warns.
/// </summary>
internal static class NodeAddressCheck
{
    public const string Name = "node-addresses";

    private const string IpRemedy = "make the kubelet report an InternalIP (--node-ip, or the cloud provider's node addresses)";
    private const string CidrRemedy = "allocate pod CIDRs to nodes (kube-controller-manager --allocate-node-cidrs, or the CNI's IPAM)";

    public static IEnumerable<CheckResult> Run(DiagnoseContext context)
    {
        var findings = new List<CheckResult>();
        var checkedNodes = 0;
        var calicoRefused = context.Snapshot.Unreadable.GetValueOrDefault("calico");
        if (calicoRefused is not null)
        {
            findings.Add(CheckResult.Warning(Name, $"cannot read Calico block affinities: {calicoRefused}: pod CIDRs of Calico nodes are not checked",
                "run with credentials that may list blockaffinities.crd.projectcalico.org"));
        }

        foreach (var node in context.Nodes)
        {
            var name = node.Metadata.Name;
            var endpoint = context.EndpointNodes.Contains(name);
            if (context.DomainOf(node) is null && !endpoint)
            {
                continue; // Raven routes no traffic to a node outside every domain, so its addresses do not matter here.
            }

            checkedNodes++;
            var facts = context.Facts[name];
            var role = endpoint ? " (a gateway endpoint)" : "";
            var make = endpoint ? (Func<string, string, string, CheckResult>)CheckResult.Failed : CheckResult.Warning;
            foreach (var problem in facts.Problems)
            {
                var remedy = problem.Field.StartsWith("status.addresses", StringComparison.Ordinal) ? IpRemedy : CidrRemedy;
                findings.Add(make(Name, $"node {name}: {problem.Field}: {problem.Message}{role}", remedy));
            }

            if (facts.PodCidrs.Count == 0 && !facts.Problems.Any(p => !p.Field.StartsWith("status.addresses", StringComparison.Ordinal)))
            {
                var calico = node.Metadata.Annotations?.Keys.Any(k => k.Contains("projectcalico.org", StringComparison.Ordinal)) ?? false;
                if (calico && calicoRefused is not null)
                {
                    continue; // its pod CIDRs are in objects we could not read: said once above, not guessed per node
                }

                var where = calico ? "no confirmed Calico block affinity" : "spec.podCIDR and spec.podCIDRs are empty";
                findings.Add(make(Name, $"node {name}: no pod CIDR ({where}): other domains cannot route to its pods{role}", CidrRemedy));
            }
        }

        return findings.OrPass(Name, $"{checkedNodes} domain node(s), each with an InternalIP and a pod CIDR");
    }
}
