using System.Net;
using Raven.Api.V1Beta1;

namespace Raven.Agent.Benchmark;

/// <summary>Node IPs for the benchmark, from the Gateways' status (never from the request: it names nodes, not addresses).</summary>
public static class BenchmarkAddresses
{
    /// <summary>
    /// The node's private IP; null when no Gateway lists it, or when another node claims the same IP (overlapping
    /// domains: L3 would reach the wrong node, so nothing is measured).
    /// </summary>
    public static IPAddress? Resolve(IEnumerable<Gateway> gateways, string node)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        var nodes = gateways.SelectMany(g => g.Status?.Nodes ?? []).ToList();
        var own = nodes.FirstOrDefault(n => n.NodeName == node);
        if (own is null || !IPAddress.TryParse(own.PrivateIP, out var address))
        {
            return null;
        }

        return nodes.Any(n => n.NodeName != node && n.PrivateIP == own.PrivateIP) ? null : address;
    }
}
