using Raven.Api;

namespace Raven.Controller.Dns;

/// <summary>
/// kube-system/edge-tunnel-nodes, key tunnel-nodes: hosts-file lines "&lt;ip&gt;\t&lt;nodeName&gt;" that raven-proxy-dns serves.
/// With L7 on, nodes outside exposed domains resolve to the internal proxy Service so requests by node name
/// enter the reverse tunnel; nodes the cloud can reach directly resolve to their own address.
/// </summary>
public static class TunnelNodeRecords
{
    public const string ConfigMapName = "edge-tunnel-nodes";
    public const string Key = "tunnel-nodes";

    public sealed record NodeAddress(string Name, string? GatewayName, string? InternalIp, string? ExternalIp);

    public static string Build(IEnumerable<NodeAddress> nodes, ISet<string> exposedGateways, bool proxyEnabled, string? internalServiceIp)
    {
        var lines = new List<string>();
        foreach (var node in nodes)
        {
            var own = !string.IsNullOrEmpty(node.InternalIp) ? node.InternalIp : node.ExternalIp;
            if (string.IsNullOrEmpty(own))
            {
                continue; // no address: neither we nor the proxy could reach it
            }

            var viaProxy = proxyEnabled && !string.IsNullOrEmpty(internalServiceIp) &&
                           (node.GatewayName is null || !exposedGateways.Contains(node.GatewayName));
            lines.Add($"{(viaProxy ? internalServiceIp : own)}\t{node.Name}");
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }

    public static string Namespace => WellKnown.WorkingNamespace;
}
