using System.Globalization;
using System.Text;

namespace Raven.Cli.Status;

/// <summary>
/// Pure: the report as a Graphviz graph. Each domain (Gateway) is a cluster holding its nodes; the serving tunnel
/// endpoint is bold and green, a hot standby dashed and yellow, a node in trouble (NotReady, agent Lease expired or
/// missing) has a red border. Solid edges join the serving tunnel endpoints of every two domains (dotted when both
/// are under NAT: punched or relayed, the report cannot tell yet); dashed edges are L7 proxy connections, from each
/// domain's active proxy endpoints to the exposed domain's. One statement per line; node ids are node names (unique
/// in a cluster); every element carries a `class` (serving, standby, candidate, member, tunnel, proxy) that
/// Graphviz copies into SVG.
/// </summary>
public static class GraphDot
{
    /// <summary>The key to the styles, printed under the title.</summary>
    public const string Legend = "green: serving tunnel endpoint, yellow dashed: hot standby, red border: NotReady or agent lease not current\\n" +
                                 "solid line: L3 tunnel between serving gateways, dashed blue: L7 proxy connection";

    public static string Render(StatusReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var dot = new StringBuilder();
        dot.Append("graph raven {\n");
        dot.Append(CultureInfo.InvariantCulture, $"  graph [fontname=\"Helvetica\", compound=true, rankdir=LR, labelloc=t, label={Quote($"raven status {report.GeneratedAt:yyyy-MM-dd HH:mm:ss}Z\\n{Legend}")}];\n");
        dot.Append("  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\", fillcolor=white];\n");
        dot.Append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        foreach (var gateway in report.Gateways)
        {
            Cluster(dot, "cluster_" + gateway.Name, gateway.ExposeType.Length == 0 ? gateway.Name : $"{gateway.Name}\\n({gateway.ExposeType})", gateway.Nodes, gateway);
        }

        if (report.NodesWithoutGateway.Count > 0)
        {
            Cluster(dot, "cluster_no_gateway", "in no gateway", report.NodesWithoutGateway, null);
        }

        Tunnels(dot, report);
        ProxyLinks(dot, report);
        dot.Append("}\n");
        return dot.ToString();
    }

    private static void Cluster(StringBuilder dot, string id, string label, IReadOnlyList<NodeReport> nodes, GatewayReport? gateway)
    {
        dot.Append(CultureInfo.InvariantCulture, $"  subgraph {Quote(id)} {{\n");
        dot.Append(CultureInfo.InvariantCulture, $"    graph [label={Quote(label)}, style=rounded, color=gray40];\n");
        foreach (var node in nodes)
        {
            var role = gateway?.TunnelEndpoints.FirstOrDefault(t => t.NodeName == node.Name)?.Role;
            var proxy = gateway?.ProxyEndpoints.FirstOrDefault(p => p.NodeName == node.Name)?.Role == EndpointRoles.Active;
            var lines = new List<string> { node.Name, node.InternalIP.Length == 0 ? "no InternalIP" : node.InternalIP };
            if (role is not null)
            {
                lines.Add($"tunnel {role}");
            }

            if (proxy)
            {
                lines.Add("proxy");
            }

            if (Trouble(node) is { } trouble)
            {
                lines.Add(trouble);
            }

            var (style, fill, width) = role switch
            {
                EndpointRoles.Serving => ("rounded,filled,bold", "palegreen", "2"),
                EndpointRoles.Standby => ("rounded,filled,dashed", "lightyellow", "1.5"),
                _ => ("rounded,filled", "white", "1"),
            };
            var color = Trouble(node) is null ? "black" : "red";
            dot.Append(CultureInfo.InvariantCulture,
                $"    {Quote(node.Name)} [label={Quote(string.Join("\\n", lines))}, style={Quote(style)}, fillcolor={fill}, color={color}, penwidth={width}, class={Quote(role ?? "member")}];\n");
        }

        dot.Append("  }\n");
    }

    private static void Tunnels(StringBuilder dot, StatusReport report)
    {
        // A serving endpoint the spec no longer lists (status not caught up) has no tunnel to draw.
        var serving = report.Gateways.Where(g => Endpoint(g) is not null).ToList();
        for (var i = 0; i < serving.Count; i++)
        {
            for (var j = i + 1; j < serving.Count; j++)
            {
                var (a, b) = (Endpoint(serving[i])!, Endpoint(serving[j])!);
                var healthy = Healthy(serving[i], a.NodeName) && Healthy(serving[j], b.NodeName);
                var bothNat = a.UnderNAT && b.UnderNAT;
                // Only the unusual case is labelled: the legend explains a plain line, and short edges had labels over cluster titles.
                var label = bothNat ? "label=\"both under NAT:\\npunched or relayed\", " : "tooltip=\"tunnel\", ";
                dot.Append(CultureInfo.InvariantCulture,
                    $"  {Quote(a.NodeName)} -- {Quote(b.NodeName)} [{label}color={(healthy ? "darkgreen" : "red")}, penwidth=2, style={(bothNat ? "dotted" : "solid")}, class=\"tunnel\"];\n");
            }
        }
    }

    private static void ProxyLinks(StringBuilder dot, StatusReport report)
    {
        var servers = report.Gateways.Where(g => g.ExposeType.Length > 0)
            .SelectMany(g => g.ProxyEndpoints.Where(p => p.Role == EndpointRoles.Active).Select(p => p.NodeName)).ToList();
        foreach (var gateway in report.Gateways.Where(g => g.ExposeType.Length == 0))
        {
            foreach (var client in gateway.ProxyEndpoints.Where(p => p.Role == EndpointRoles.Active))
            {
                foreach (var server in servers)
                {
                    dot.Append(CultureInfo.InvariantCulture,
                        $"  {Quote(client.NodeName)} -- {Quote(server)} [tooltip=\"L7 proxy\", style=dashed, color=steelblue, class=\"proxy\"];\n");
                }
            }
        }
    }

    private static TunnelEndpointReport? Endpoint(GatewayReport gateway) => gateway.TunnelEndpoints.FirstOrDefault(t => t.NodeName == gateway.ServingTunnel);

    private static bool Healthy(GatewayReport gateway, string node) =>
        gateway.Nodes.FirstOrDefault(n => n.Name == node) is { } report && Trouble(report) is null;

    private static string? Trouble(NodeReport node) =>
        !node.Ready ? "NotReady" : node.AgentAlive switch { false => "agent lease expired", null => "no agent lease", _ => null };

    /// <summary>A DOT quoted string; "\n" sequences already in the text stay line breaks.</summary>
    internal static string Quote(string text) => "\"" + text.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
