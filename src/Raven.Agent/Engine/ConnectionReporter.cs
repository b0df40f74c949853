using Raven.Agent.Health.Paths;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;
using Raven.Api.DataPlane;

namespace Raven.Agent.Engine;

/// <summary>What one look of <see cref="ConnectionReporter"/> did.</summary>
public enum ConnectionReportWrite
{
    /// <summary>Nothing handed to the lease: nothing discrete changed and the published numbers are younger than the refresh.</summary>
    None,

    /// <summary>A discrete field changed (path, via, state, reconnects, standby readiness, role): the lease renews at once.</summary>
    Changed,

    /// <summary>Only numbers moved and the published ones are <see cref="ConnectionReport.RefreshSeconds"/> old: the next renewal carries them.</summary>
    Refreshed,

    /// <summary>This node stopped being a tunnel endpoint (or never was): the annotation is withdrawn.</summary>
    Removed,
}

/// <summary>
/// Publishes this node's <see cref="ConnectionReport"/> on its agent Lease, bounded in write rate: a change of a discrete
/// field renews the lease at once; growing counters are handed over at most every <see cref="ConnectionReport.RefreshSeconds"/>
/// and ride on the lease's next regular renewal, so they cost no write of their own. Members publish nothing and
/// withdraw a report left from when they were an endpoint.
/// </summary>
/// <param name="publish">The annotation text (null: none) and whether to renew at once (<see cref="AgentLease.PublishConnections"/>).</param>
public sealed class ConnectionReporter(Func<NetworkPlan?> plan, Func<IReadOnlyList<DomainPaths>> paths, Func<IReadOnlyList<TunnelConnection>> connections,
    Action<string?, bool> publish, TimeProvider time, ConnectionMetrics? metrics = null)
{
    /// <summary>How often the inputs are looked at; also the most discrete changes per second that reach the lease.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(ConnectionReport.RefreshSeconds);

    private readonly ReconnectCounter _reconnects = new();
    private string? _discrete;
    private DateTimeOffset _written;
    private bool _withdrawn;

    /// <summary>The report last handed to the lease; null when none.</summary>
    public ConnectionReport? Published { get; private set; }

    /// <summary>One look (the loop's body; tests call it directly).</summary>
    public ConnectionReportWrite PublishOnce()
    {
        var current = connections();
        var counts = _reconnects.Observe(current);
        var now = time.GetUtcNow();
        var whole = ConnectionReportRenderer.RenderWhole(plan(), paths(), current, counts, now);
        metrics?.Record(whole);
        var report = whole is null ? null : ConnectionReportBudget.Fit(whole);
        if (report is null)
        {
            Published = null;
            _discrete = null;
            if (_withdrawn)
            {
                return ConnectionReportWrite.None;
            }

            _withdrawn = true;
            publish(null, true);
            return ConnectionReportWrite.Removed;
        }

        _withdrawn = false;
        var discrete = DiscreteFields(report);
        ConnectionReportWrite write;
        if (discrete != _discrete)
        {
            write = ConnectionReportWrite.Changed;
        }
        else if (now - _written >= Refresh)
        {
            write = ConnectionReportWrite.Refreshed;
        }
        else
        {
            return ConnectionReportWrite.None;
        }

        _discrete = discrete;
        _written = now;
        Published = report;
        publish(report.Serialize(), write == ConnectionReportWrite.Changed);
        return write;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        try
        {
            do
            {
                PublishOnce();
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The report without its numbers: what must reach readers at once when it changes.</summary>
    public static string DiscreteFields(ConnectionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return (report with
        {
            SampledAt = default,
            Domains = report.Domains.Select(d => d with
            {
                Candidates = d.Candidates.Select(c => c with { RttMilliseconds = null, LossRatio = null, CostMilliseconds = null }).ToList(),
            }).ToList(),
            Connections = report.Connections.Select(c => c with { LastHandshake = null, RxBytes = 0, TxBytes = 0, RxPackets = null, TxPackets = null, Endpoint = null }).ToList(),
        }).Serialize();
    }
}
