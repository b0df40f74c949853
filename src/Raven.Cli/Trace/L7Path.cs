using Raven.Api;

namespace Raven.Cli.Trace;

/// <summary>
/// Pure: the way to a node by name where L3 cannot carry its address (L3 off, or an InternalIP two domains share):
/// the L7 proxy server on the exposed gateway's proxy endpoint, then the destination domain's proxy client, which
/// dials the node inside its own domain (docs/l7-proxy-protocol.md).
/// </summary>
internal static class L7Path
{
    /// <summary>Why L3 cannot reach the node's InternalIP while L7 is on; null when L3 can (or L7 is off too).</summary>
    public static string? Needed(TraceContext context, TraceEnd to)
    {
        if (!context.Switches.Proxy)
        {
            return null;
        }

        if (!context.Switches.Tunnel)
        {
            return $"L3 is off ({WellKnown.EnableL3TunnelKey} is not \"true\" in {WellKnown.WorkingNamespace}/{WellKnown.RavenGlobalConfig})";
        }

        var sharers = context.Nodes.Values.Where(n => n.Facts.Name != to.Node && n.Gateway is not null && n.Gateway != to.Gateway
                                                      && n.Facts.InternalIp.Length > 0 && n.Facts.InternalIp == to.Address).ToList();
        if (sharers.Count > 0)
        {
            return $"{to.Node}'s InternalIP {to.Address} is also node {string.Join(", ", sharers.Select(s => $"{s.Facts.Name}'s ({s.Gateway})"))}: L3 routes an address two domains claim to neither";
        }

        return context.Options.ForwardNodeIp ? null : $"node IPs do not enter the tunnel (forward-node-ip is off in {WellKnown.WorkingNamespace}/{WellKnown.RavenAgentConfig})";
    }

    public static void Add(TraceContext context, TraceEnd from, TraceEnd to, List<TraceHop> hops)
    {
        var server = context.Gateways.Values.Where(g => !string.IsNullOrEmpty(g.Spec.ExposeType)).OrderBy(g => g.Name, StringComparer.Ordinal)
            .Select(g => (Gateway: g.Name, Node: ActiveProxy(context, g.Name))).FirstOrDefault(s => s.Node is not null);
        if (server.Node is null)
        {
            hops.Add(new TraceHop("l7", "proxy server", null, TraceHealth.Fail,
                "no exposed Gateway (spec.exposeType) has an active proxy endpoint: the L7 proxy has no server to carry the request", TraceHealth.Api));
            return;
        }

        hops.Add(NodeHops.Node(context, server.Node, $"L7 proxy server of {server.Gateway} (exposed): its entries (10263 HTTPS, 10264 HTTP) take the node from "
                                                      + $"X-Tunnel-Proxy-Host, ?nodeName= or the Host name ({from.Node} sends the request there)") with { Kind = "l7" });
        if (to.Gateway != server.Gateway)
        {
            if (ActiveProxy(context, to.Gateway!) is not { } client)
            {
                hops.Add(new TraceHop("l7", $"{to.Gateway} proxy client", null, TraceHealth.Fail,
                    $"{to.Gateway} has no active proxy endpoint: no proxy client holds a tunnel to the server for its nodes (see raven status)", TraceHealth.Api));
                return;
            }

            hops.Add(NodeHops.Node(context, client, $"L7 proxy client of {to.Gateway}: holds the tunnel to the proxy server and dials {to.Node} inside its domain") with { Kind = "l7" });
        }

        if (hops[^1].Name != to.Node)
        {
            hops.Add(NodeHops.Node(context, to.Node, "destination node (by name)", to.Address));
        }
    }

    private static string? ActiveProxy(TraceContext context, string gateway) =>
        context.Gateways.TryGetValue(gateway, out var g)
            ? (g.Status.ActiveEndpoints ?? []).FirstOrDefault(e => e.Type == WellKnown.EndpointTypeProxy && !string.IsNullOrEmpty(e.NodeName))?.NodeName
            : null;
}
