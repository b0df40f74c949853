using Raven.Agent.Proxy.Cluster;
using Raven.Kube.Observability;

namespace Raven.Agent.Engine;

/// <summary>The L7 proxy's state as metrics, so `/metrics` (and `raven lab status`) show roles and tunnel connections.</summary>
public sealed class AgentProxyMetrics(MetricsRegistry registry)
{
    private readonly MetricsRegistry.Family _role = registry.Gauge("raven_agent_proxy_role", "1 for the L7 proxy role this node runs", "role");
    private readonly MetricsRegistry.Family _servers = registry.Gauge("raven_agent_proxy_server_connected", "1 per proxy server this node's tunnel client is connected to", "server");
    private readonly MetricsRegistry.Family _clients = registry.Gauge("raven_agent_proxy_client_connected", "1 per proxy client connected to this node's tunnel server", "node");
    private readonly HashSet<(MetricsRegistry.Family, string)> _shown = [];

    public void Update(ProxyHostStatus status)
    {
        var now = new HashSet<(MetricsRegistry.Family, string)> { (_role, status.Role) };
        now.UnionWith(status.ServersConnected.Select(s => (_servers, s)));
        now.UnionWith(status.ClientsConnected.Select(c => (_clients, c)));
        foreach (var (family, label) in _shown.Except(now).ToList())
        {
            family.Remove(label);
            _shown.Remove((family, label));
        }

        foreach (var (family, label) in now)
        {
            family.Set(1, label);
            _shown.Add((family, label));
        }
    }

    /// <summary>Refreshes the gauges every few seconds until cancelled.</summary>
    public async Task RunAsync(ProxyHost proxy, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        try
        {
            do
            {
                Update(proxy.Status);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
