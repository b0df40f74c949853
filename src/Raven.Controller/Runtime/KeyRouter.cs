using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Controller.Election;
using Raven.Controller.Reconcilers;
using Raven.Controller.Services;
using k8s.Models;
using Raven.Kube.Models;

namespace Raven.Controller.Runtime;

/// <summary>Which reconcile keys a change of one cached object concerns. Keys are "controller/name".</summary>
public static class KeyRouter
{
    public const string Pickup = "pickup";
    public const string PublicService = "public";
    public const string InternalService = "internal";
    public const string Dns = "dns";
    public const string Csr = "csr";
    public const string Config = "config";

    public static IEnumerable<string> KeysFor(object? old, object? updated, Func<IEnumerable<string>> allGateways, Func<string, string?> gatewayOfNode)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var obj in new[] { old, updated }.OfType<object>())
        {
            switch (obj)
            {
                case Gateway g:
                    keys.UnionWith([$"{Pickup}/{g.Name}", $"{PublicService}/{g.Name}", $"{InternalService}/{InternalServiceReconciler.Key}", $"{Dns}/{DnsReconciler.Key}"]);
                    keys.Add($"{Config}/{ConfigReconciler.Key}"); // re-take a field someone changed, re-create a deleted configured Gateway
                    if (old is null || updated is null ||
                        MixedDrivers.Of((old as Gateway)?.Status?.ActiveEndpoints) != MixedDrivers.Of((updated as Gateway)?.Status?.ActiveEndpoints))
                    {
                        // A gateway appearing, vanishing or switching VPN driver changes which addresses the others share with it
                        // and whether their drivers match.
                        keys.UnionWith(allGateways().Select(name => $"{Pickup}/{name}"));
                    }

                    break;
                case V1Node n:
                    if (NodeFactsReader.GatewayOf(n) is { } gw)
                    {
                        keys.UnionWith([$"{Pickup}/{gw}", $"{PublicService}/{gw}"]);
                    }

                    if (!SameAddressing(old as V1Node, updated as V1Node))
                    {
                        // Every gateway compares its members' addresses with this node's: re-check them all.
                        keys.UnionWith(allGateways().Select(name => $"{Pickup}/{name}"));
                    }

                    keys.UnionWith([$"{InternalService}/{InternalServiceReconciler.Key}", $"{Dns}/{DnsReconciler.Key}"]);
                    break;
                case V1ConfigMap c when c.Metadata?.Name == WellKnown.RavenGlobalConfig:
                    keys.UnionWith(allGateways().SelectMany(name => new[] { $"{Pickup}/{name}", $"{PublicService}/{name}" }));
                    keys.UnionWith([$"{InternalService}/{InternalServiceReconciler.Key}", $"{Dns}/{DnsReconciler.Key}", $"{Config}/{ConfigReconciler.Key}"]);
                    break;
                case V1ConfigMap c when c.Metadata?.Name == WellKnown.RavenAgentConfig:
                    keys.UnionWith(allGateways().Select(name => $"{PublicService}/{name}"));
                    keys.Add($"{InternalService}/{InternalServiceReconciler.Key}");
                    break;
                case V1ConfigMap c when c.Metadata?.Name == Controller.Dns.TunnelNodeRecords.ConfigMapName:
                    keys.Add($"{Dns}/{DnsReconciler.Key}"); // someone edited or deleted our records: rewrite them
                    break;
                case V1Lease l when l.Metadata?.Name?.StartsWith(NodeFactsReader.AgentLeasePrefix, StringComparison.Ordinal) == true:
                    if (gatewayOfNode(l.Metadata.Name[NodeFactsReader.AgentLeasePrefix.Length..]) is { } leaseGateway)
                    {
                        keys.Add($"{Pickup}/{leaseGateway}");
                    }

                    break;
                case V1Service or V1Endpoints:
                    var meta = obj is V1Service s ? s.Metadata : ((V1Endpoints)obj).Metadata;
                    if (meta?.Name == InternalServicePlanner.Name)
                    {
                        keys.UnionWith([$"{InternalService}/{InternalServiceReconciler.Key}", $"{Dns}/{DnsReconciler.Key}"]);
                    }
                    else if (meta.Label(WellKnown.GatewayLabel) is { } owner)
                    {
                        keys.Add($"{PublicService}/{owner}");
                    }

                    break;
                case V1CertificateSigningRequest csr:
                    keys.Add($"{Csr}/{csr.Metadata?.Name}");
                    break;
            }
        }

        return keys;
    }

    /// <summary>Same gateway label, InternalIPs and pod CIDRs: a heartbeat-only update, no overlap can change.</summary>
    private static bool SameAddressing(V1Node? old, V1Node? updated) =>
        old is not null && updated is not null &&
        NodeFactsReader.GatewayOf(old) == NodeFactsReader.GatewayOf(updated) &&
        NodeFactsReader.InternalIp(old) == NodeFactsReader.InternalIp(updated) &&
        old.Spec?.PodCIDR == updated.Spec?.PodCIDR &&
        (old.Spec?.PodCIDRs ?? []).SequenceEqual(updated.Spec?.PodCIDRs ?? []);
}
