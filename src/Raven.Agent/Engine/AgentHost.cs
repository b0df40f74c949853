using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using Raven.Agent.Tunnel;
using Raven.Kube.Client;
using Raven.Kube.Observability;

namespace Raven.Agent.Engine;

/// <summary>The production composition of `raven agent`: Kubernetes inputs, the node's own kernel, probes, lease.</summary>
[UnsupportedOSPlatform("windows")]
public static class AgentHost
{
    /// <summary>How long the last lease write on stop may take: the whole stop must end within 2 s of SIGTERM.</summary>
    private static readonly TimeSpan StopLeaseHoldTimeout = TimeSpan.FromMilliseconds(800);

    /// <summary>
    /// How long after SIGTERM a stop waits for the probe stand-in to bind (a .NET process start, begun the moment the
    /// signal came; well under a second on an idle node, seconds on a loaded one); this agent's responder answers
    /// meanwhile, so the port never goes quiet. The stop's budget grows by as much: 2 + 5 s stays inside the
    /// DaemonSet's 10 s grace period.
    /// </summary>
    private static readonly TimeSpan StandInStartTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Runs until cancelled; then detaches, leaving the data plane in place.</summary>
    /// <param name="extendStop">Asks the process for more time to stop than its budget (while the probe stand-in starts).</param>
    /// <exception cref="AgentOptionsException">A flag is invalid (checked before anything starts).</exception>
    public static async Task RunAsync(IReadOnlyDictionary<string, string> flags, Func<string, string?> environment, ILoggerFactory loggers, CancellationToken cancellationToken,
        Action<TimeSpan>? extendStop = null)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger("raven.agent");
        var l3Flags = AgentProxyFlags.WithoutProxyFlags(flags);
        var options = AgentOptionsParser.Parse(l3Flags, environment, null);
        var proxyOptions = AgentProxyFlags.Parse(flags, options.NodeName, options.StateDirectory);
        using var client = KubeClient.Create(options.Kubeconfig);
        // Renewing starts before anything slower: a restarted agent must renew within its predecessor's hold.
        var lease = new AgentLease(client, options.NodeName, options.LeaseDuration, logger);
        var renewing = lease.RunAsync(cancellationToken);
        var inputs = new KubeAgentInputs(client, loggers.CreateLogger("raven.agent.informers"));
        using var kernel = await NodeKernel.OpenAsync(null, cancellationToken).ConfigureAwait(false);
        await using var tunnel = TunnelBackends.Get(options.VpnDriver).Create(BackendContext(options, kernel, loggers));
        var metrics = new AgentMetrics();
        var proxyMetrics = new AgentProxyMetrics(metrics.Registry);
        IReadOnlyDictionary<string, string>? lastConfig = null;
        AgentOptions OptionsFor(IReadOnlyDictionary<string, string> config)
        {
            var warnings = new List<string>();
            var effective = AgentOptionsParser.Parse(l3Flags, environment, config, warnings);
            if (!ReferenceEquals(config, lastConfig))
            {
                lastConfig = config;
                warnings.ForEach(w => logger.LogWarning("{Warning}", w));
            }

            return effective;
        }

        var publisher = new KubeGatewayPublisher(client);
        await using var engine = new AgentEngine(OptionsFor, inputs, publisher, kernel, tunnel, metrics, logger,
            events: new KubeGatewayEvents(client, options.NodeName, logger));
        await using var nat = options.NatTraversal && tunnel.Profile.LearnsNatMappings ? new Nat.Wiring.NatService(new Nat.Wiring.NatServiceOptions
        {
            NodeName = options.NodeName,
            TunnelPort = options.VpnBindPort,
            PublicIpPinned = options.PublicIp is not null,
        }, publisher, loggers.CreateLogger("raven.agent.nat")) : null;
        if (nat is not null)
        {
            engine.Planned += nat.Observe;
        }

        await using var failover = options.FailoverProbes ? StartFailover(options, loggers) : null;
        if (failover is not null)
        {
            engine.UseHealth(failover);
            _ = new PathMetrics(metrics.Registry, failover.CandidatePaths);
            _ = new ProbeMetrics(metrics.Registry, failover.Targets);
        }

        // The probe stand-in starts the moment SIGTERM arrives: a process start is the slowest part of the stop.
        var hold = options.StopLeaseHold > TimeSpan.Zero && options.StopLeaseHold < options.LeaseDuration ? options.LeaseDuration : options.StopLeaseHold;
        // The callback runs on the thread that signals the stop, while the stop path below may already run on another:
        // it reads the stand-in through this task, never a variable the callback may not have written yet (which let
        // the responder close before the stand-in was bound: a failover per restart).
        var standInStarted = new TaskCompletionSource<System.Diagnostics.Process?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var standInBound = new CancellationTokenSource();
        using var handOver = failover is null ? default : cancellationToken.Register(() =>
        {
            standInBound.CancelAfter(StandInStartTimeout);
            try
            {
                var started = failover.StartStandIn(Health.Wiring.ProbeStandIn.OwnCommand(), hold);
                if (started is not null)
                {
                    extendStop?.Invoke(StandInStartTimeout);
                }

                standInStarted.TrySetResult(started);
            }
            catch (Exception e)
            {
                standInStarted.TrySetException(e);
            }
        });

        await using var health = await ProbeServer.StartAsync(options.HealthProbeAddress, engine.NotReadyReason, metrics.Registry, cancellationToken).ConfigureAwait(false);
        await using var metricsServer = options.MetricBindAddress == options.HealthProbeAddress ? null
            : await ProbeServer.StartAsync(options.MetricBindAddress, engine.NotReadyReason, metrics.Registry, cancellationToken).ConfigureAwait(false);
        // Also without failover probes (no claim, no choices): the report still carries the node's MTUs for `raven diagnose`.
        IReadOnlyDictionary<string, string> noChoices = new Dictionary<string, string>(StringComparer.Ordinal);
        var reporter = new DataPlaneReporter(() => failover?.ServingGateways ?? noChoices, () => failover?.Claim ?? Health.Protocol.GatewayClaim.None,
            lease.Publish, () => engine.Mtu);
        var connectionReporter = new ConnectionReporter(() => engine.LastReport?.Plan, () => failover?.CandidatePaths() ?? [], () => engine.Connections,
            lease.PublishConnections, TimeProvider.System, new ConnectionMetrics(metrics.Registry));
        // L7 starts in the background: waiting for certificates never holds up the L3 data plane.
        await using var proxy = new Proxy.Cluster.ProxyHost(client, proxyOptions with { DialObserved = proxyMetrics.ObserveDial, RequestObserved = proxyMetrics.ObserveRequest }, loggers);
        await proxy.StartAsync(cancellationToken).ConfigureAwait(false);
        var benchmarkRequests = new Benchmark.KubeBenchmarkRequests(client, loggers.CreateLogger("raven.agent.informers"));
        var benchmark = new Benchmark.BenchmarkService(options.NodeName, benchmarkRequests,
            node => node == options.NodeName && options.NodeIp is { } own ? own : Benchmark.BenchmarkAddresses.Resolve(inputs.Current.Gateways, node),
            loggers.CreateLogger("raven.agent.benchmark"));
        logger.LogInformation("raven agent on node {Node}: health {Health}, metrics {Metrics}, {Backend} tunnel on {Interface}",
            options.NodeName, health.Url, metricsServer?.Url ?? health.Url, tunnel.Profile.Name, tunnel.InterfaceName);
        try
        {
            await Task.WhenAll(inputs.RunAsync(cancellationToken), renewing, engine.RunAsync(cancellationToken),
                proxyMetrics.RunAsync(proxy, cancellationToken), failover?.RunAsync(cancellationToken) ?? Task.CompletedTask,
                reporter.RunAsync(cancellationToken), connectionReporter.RunAsync(cancellationToken),
                nat?.RunAsync(cancellationToken) ?? Task.CompletedTask,
                benchmarkRequests.RunAsync(cancellationToken), benchmark.RunAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("stopping; the data plane stays in place");
        }

        // Beside detaching: the lease held for the next agent (within 2 s), and the probe port handed to a stand-in that
        // answers with this node's claim until the next agent binds it, so a restart is no failover, neither in the
        // controller's election nor in the data plane's.
        using var holdBound = new CancellationTokenSource(StopLeaseHoldTimeout);
        var standIn = failover is not null && cancellationToken.IsCancellationRequested ? await standInStarted.Task.ConfigureAwait(false) : null;
        await Task.WhenAll(lease.HoldAsync(options.StopLeaseHold, holdBound.Token), engine.DetachAsync(),
            failover?.WaitForStandInAsync(standIn, standInBound.Token) ?? Task.CompletedTask).ConfigureAwait(false);
        standIn?.Dispose();
    }

    private static Health.Wiring.HealthMonitor StartFailover(AgentOptions options, ILoggerFactory loggers) =>
        Health.Wiring.HealthMonitor.Start(new Health.Wiring.HealthMonitorOptions
        {
            NodeName = options.NodeName,
            Key = string.IsNullOrEmpty(options.PresharedKeySecret) ? null : Health.Protocol.ProbeKey.FromPresharedKey(options.PresharedKeySecret),
            StateDirectory = options.StateDirectory,
        }, loggers.CreateLogger("raven.agent.failover"));

    /// <summary>`raven agent cleanup`: removes Raven's state on this node; returns the failures (empty when clean).</summary>
    public static async Task<IReadOnlyList<string>> CleanupAsync(string stateDirectory, string wireGuardInterface, CancellationToken cancellationToken)
    {
        using var kernel = await NodeKernel.OpenAsync(null, cancellationToken).ConfigureAwait(false);
        var context = new TunnelBackendContext { InterfaceName = wireGuardInterface, StateDirectory = stateDirectory, Reconciler = kernel.Reconciler };
        var tunnels = TunnelBackends.All.Select(r => r.Create(context)).ToList();
        if (Health.Wiring.ProbeStandIn.Find(stateDirectory) is { } standIn)
        {
            Health.Wiring.ProbeStandIn.Stop(stateDirectory, standIn, TimeSpan.FromSeconds(3));
        }

        try
        {
            return await AgentCleanup.RunAsync(kernel, tunnels, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var tunnel in tunnels)
            {
                await tunnel.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static TunnelBackendContext BackendContext(AgentOptions options, NodeKernel kernel, ILoggerFactory loggers) => new()
    {
        InterfaceName = options.WireGuardInterface,
        NodeName = options.NodeName,
        StateDirectory = options.StateDirectory,
        PresharedKeySecret = options.PresharedKeySecret,
        ListenPort = options.VpnBindPort,
        KeepAliveInterval = options.KeepAliveInterval,
        KeepAliveTimeout = options.KeepAliveTimeout,
        Reconciler = kernel.Reconciler,
        Loggers = loggers,
    };
}
