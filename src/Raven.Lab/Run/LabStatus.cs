using System.Text;
using Raven.Kube.Observability;
using Raven.Lab.Shell;

namespace Raven.Lab.Run;

/// <summary>
/// What `raven lab status` shows besides `raven status` against the lab's kubeconfig: the lab's own processes and
/// each agent's tunnel peers and L7 connections as its /metrics show them (a view from inside the node, which an
/// operator of a real cluster would get by scraping).
/// </summary>
public static class LabStatus
{
    public static string Processes(LabRunner lab)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var text = new StringBuilder();
        var entries = new LabProcessTable(lab.Paths.Root).Entries().OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        var width = entries.Select(e => e.Key.Length).Append("PROCESS".Length).Max() + 2;
        text.AppendLine($"{"PROCESS".PadRight(width)}{"PID",-8} STATE");
        foreach (var (name, identity) in entries)
        {
            text.AppendLine($"{name.PadRight(width)}{identity.Pid,-8} {(identity.IsAlive ? "running" : "gone")}");
        }

        return text.ToString();
    }

    /// <summary>Each agent's WireGuard peers and L7 proxy connections, read from its /metrics inside its namespace.</summary>
    public static async Task<string> AgentsAsync(LabRunner lab, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var text = new StringBuilder();
        text.AppendLine("NODE       TUNNEL PEER (gateway)      HANDSHAKE   RX         TX         L7 PROXY");
        foreach (var node in lab.Topology.Nodes)
        {
            IReadOnlyList<PrometheusText.Sample> samples;
            try
            {
                var (_, body) = await LabProbe.HttpGetAsync(lab.Topology.Names.Node(node), new Uri("http://127.0.0.1:10265/metrics"),
                    new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
                samples = PrometheusText.Parse(body);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException or System.Net.Sockets.SocketException)
            {
                text.AppendLine($"{node.LabName,-10} agent not answering: {ex.Message}");
                continue;
            }

            var proxy = Proxy(samples);
            var peers = samples.Where(s => s.Name == "raven_agent_wireguard_last_handshake_age_seconds").ToList();
            if (peers.Count == 0)
            {
                text.AppendLine($"{node.LabName,-10} {"-",-26} {"",-11} {"",-10} {"",-10} {proxy}");
            }

            foreach (var peer in peers)
            {
                var key = peer.Labels.GetValueOrDefault("peer", "?");
                double Counter(string name) => samples.FirstOrDefault(s => s.Name == name && s.Labels.GetValueOrDefault("peer") == key)?.Value ?? 0;
                var age = peer.Value < 0 ? "never" : $"{peer.Value:0}s ago";
                text.AppendLine($"{node.LabName,-10} {key[..Math.Min(24, key.Length)],-26} {age,-11} {Bytes(Counter("raven_agent_wireguard_rx_bytes")),-10} {Bytes(Counter("raven_agent_wireguard_tx_bytes")),-10} {proxy}");
            }
        }

        return text.ToString();
    }

    private static string Proxy(IReadOnlyList<PrometheusText.Sample> samples)
    {
        var role = samples.FirstOrDefault(s => s.Name == "raven_agent_proxy_role")?.Labels.GetValueOrDefault("role") ?? "-";
        var servers = samples.Where(s => s.Name == "raven_agent_proxy_server_connected").Select(s => s.Labels.GetValueOrDefault("server")).ToList();
        var clients = samples.Where(s => s.Name == "raven_agent_proxy_client_connected").Select(s => s.Labels.GetValueOrDefault("node")).ToList();
        return role + (servers.Count > 0 ? $" -> {string.Join(",", servers)}" : "") + (clients.Count > 0 ? $" <- {string.Join(",", clients)}" : "");
    }

    private static string Bytes(double bytes) => bytes switch
    {
        >= 1 << 20 => $"{bytes / (1 << 20):0.0} MiB",
        >= 1 << 10 => $"{bytes / (1 << 10):0.0} KiB",
        _ => $"{bytes:0} B",
    };
}
