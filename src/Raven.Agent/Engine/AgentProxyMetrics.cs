using Prometheus;
using Raven.Agent.Proxy.Cluster;
using Raven.Agent.Proxy.FrontEnd;
using Raven.Kube.Observability;

namespace Raven.Agent.Engine;

/// <summary>The L7 proxy's state as metrics, so `/metrics` (and `raven lab status`) show roles and tunnel
/// connections, how long the proxy server takes to reach a target, and the requests it answered.</summary>
public sealed class AgentProxyMetrics
{
    private readonly Gauge _role;
    private readonly Gauge _servers;
    private readonly Gauge _clients;
    private readonly Histogram _dials;
    private readonly Counter _requests;
    private readonly Histogram _requestDurations;
    private readonly HashSet<(Gauge, string)> _shown = [];

    /// <param name="registry">The agent's registry (<see cref="AgentMetrics.Registry"/>).</param>
    public AgentProxyMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        _role = factory.CreateGauge("raven_agent_proxy_role", "1 for the L7 proxy role this node runs", "role");
        _servers = factory.CreateGauge("raven_agent_proxy_server_connected", "1 per proxy server this node's tunnel client is connected to", "server");
        _clients = factory.CreateGauge("raven_agent_proxy_client_connected", "1 per proxy client connected to this node's tunnel server", "node");
        _dials = factory.CreateHistogram("raven_agent_proxy_dial_duration_seconds",
            "Proxy server: from routing a request to holding a stream to its target (a socket in its own domain, or a tunnel stream the remote proxy client connected)",
            new HistogramConfiguration { LabelNames = ["path", "result"], Buckets = ComponentMetrics.PassDurationBuckets });
        _requests = factory.CreateCounter("raven_agent_proxy_requests_total",
            "Proxy server: requests answered, by route (direct, tunnel, refused) and status code (0: the caller left before any response)", "route", "code");
        _requestDurations = factory.CreateHistogram("raven_agent_proxy_request_duration_seconds",
            "Proxy server: from receiving a request to the end of its response, by route (upgraded streams last as long as the stream)",
            new HistogramConfiguration { LabelNames = ["route"], Buckets = ComponentMetrics.PassDurationBuckets });
    }

    /// <summary>Records one answered request; hand it to <see cref="ProxyHostOptions.RequestObserved"/>.</summary>
    public void ObserveRequest(ProxyRequestTiming request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _requests.WithLabels(request.Route, request.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        _requestDurations.WithLabels(request.Route).Observe(request.Took.TotalSeconds);
    }

    /// <summary>Records one dial; hand it to <see cref="ProxyHostOptions.DialObserved"/>.</summary>
    public void ObserveDial(ProxyDialTiming dial)
    {
        ArgumentNullException.ThrowIfNull(dial);
        _dials.WithLabels(dial.Direct ? "direct" : "tunnel", dial.Connected ? "connected" : "failed").Observe(dial.Took.TotalSeconds);
    }

    public void Update(ProxyHostStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var now = new HashSet<(Gauge, string)> { (_role, status.Role) };
        now.UnionWith(status.ServersConnected.Select(s => (_servers, s)));
        now.UnionWith(status.ClientsConnected.Select(c => (_clients, c)));
        foreach (var (gauge, label) in _shown.Except(now).ToList())
        {
            gauge.RemoveLabelled(label);
            _shown.Remove((gauge, label));
        }

        foreach (var (gauge, label) in now)
        {
            gauge.WithLabels(label).Set(1);
            _shown.Add((gauge, label));
        }
    }

    /// <summary>Refreshes the gauges every few seconds until cancelled.</summary>
    public async Task RunAsync(ProxyHost proxy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proxy);
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
