using System.Globalization;
using System.Text;

namespace Raven.Cli.Status;

/// <summary>-o table (the default): problems first, then per gateway its endpoints and nodes, then nodes in no gateway.</summary>
public static class StatusTable
{
    public static string Render(StatusReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"raven-cfg: l3 tunnel {OnOff(report.TunnelEnabled)}, l7 proxy {OnOff(report.ProxyEnabled)}\n\n");
        if (report.Problems.Count == 0)
        {
            text.Append("PROBLEMS: none\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"PROBLEMS ({report.Problems.Count})\n");
            var problems = new TextTable("SEVERITY", "SUBJECT", "PROBLEM");
            foreach (var problem in report.Problems)
            {
                problems.Add(problem.Severity.ToUpperInvariant(), problem.Subject, problem.Message);
            }

            problems.WriteTo(text, "  ");
        }

        foreach (var gateway in report.Gateways)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"\nGATEWAY {gateway.Name}   expose: {(gateway.ExposeType.Length == 0 ? "-" : gateway.ExposeType)}   tunnel replicas: {gateway.TunnelReplicas}   proxy replicas: {gateway.ProxyReplicas}\n");
            var endpoints = new TextTable("ENDPOINT", "TYPE", "ROLE", "PUBLIC", "NAT", "CLAIM", "SENT-THROUGH-BY");
            foreach (var tunnel in gateway.TunnelEndpoints)
            {
                endpoints.Add(tunnel.NodeName, "tunnel", tunnel.Role, Public(tunnel.PublicIP, tunnel.PublicPort), tunnel.UnderNAT ? "yes" : "no", tunnel.Claim ?? "-",
                    tunnel.Reporters == 0 ? "-" : $"{tunnel.SentThroughBy}/{tunnel.Reporters}");
            }

            foreach (var proxy in gateway.ProxyEndpoints)
            {
                endpoints.Add(proxy.NodeName, "proxy", proxy.Role, Public(proxy.PublicIP, 0), "-", "-", "-");
            }

            if (endpoints.Rows > 0)
            {
                endpoints.WriteTo(text, "  ");
            }
            else
            {
                text.Append("  no endpoints\n");
            }

            WriteNodes(text, gateway.Nodes);
        }

        WriteTunnels(text, report.Tunnels);
        if (report.NodesWithoutGateway.Count > 0)
        {
            text.Append("\nNODES IN NO GATEWAY\n");
            WriteNodes(text, report.NodesWithoutGateway);
        }

        return text.ToString();
    }

    private static void WriteTunnels(StringBuilder text, IReadOnlyList<TunnelPairReport> tunnels)
    {
        if (tunnels.Count == 0)
        {
            return;
        }

        text.Append("\nTUNNELS (as each domain's serving endpoint reports them)\n");
        var table = new TextTable("FROM", "TO", "PATH", "VIA", "RTT", "LOSS", "STATE", "HANDSHAKE", "STANDBYS-READY", "REPORT-AGE", "PROBLEM");
        foreach (var t in tunnels)
        {
            table.Add($"{t.From} ({t.FromNode})", t.To, t.Path.StartsWith("relay:", StringComparison.Ordinal) ? $"relay via {t.Path["relay:".Length..]}" : t.Path,
                t.Via.Length == 0 ? "-" : t.Via,
                t.RttMs is { } rtt ? rtt.ToString("0.0", CultureInfo.InvariantCulture) + "ms" : "-",
                t.Loss is { } loss ? (loss * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "-",
                t.State, t.HandshakeAgeSeconds is { } h ? h.ToString("0", CultureInfo.InvariantCulture) + "s" : "-",
                t.ReadyStandbys.Count == 0 ? "-" : string.Join(",", t.ReadyStandbys),
                t.ReportAgeSeconds.ToString("0", CultureInfo.InvariantCulture) + "s", t.Problem ?? "-");
        }

        table.WriteTo(text, "  ");
    }

    private static void WriteNodes(StringBuilder text, IReadOnlyList<NodeReport> nodes)
    {
        if (nodes.Count == 0)
        {
            text.Append("  no nodes\n");
            return;
        }

        var table = new TextTable("NODE", "READY", "INTERNAL-IP", "AGENT", "LEASE-AGE", "SENDS-VIA");
        foreach (var node in nodes)
        {
            table.Add(node.Name, node.Ready ? "True" : "False", node.InternalIP.Length == 0 ? "<none>" : node.InternalIP,
                node.AgentAlive switch { true => "alive", false => "expired", null => "no-lease" },
                node.AgentLeaseAgeSeconds is { } age ? age.ToString("0.#", CultureInfo.InvariantCulture) + "s" : "-",
                node.SendsVia ?? "-");
        }

        table.WriteTo(text, "  ");
    }

    private static string Public(string? ip, int port) => string.IsNullOrEmpty(ip) ? "-" : port > 0 ? $"{ip}:{port}" : ip;

    private static string OnOff(bool on) => on ? "on" : "off";
}
