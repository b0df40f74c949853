using Microsoft.Extensions.Logging;
using Raven.Agent.Engine;
using Raven.Agent.Engine.Drivers;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;
using Raven.Agent.Tunnel.Vxlan;
using Raven.Api;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Engine;

/// <summary>
/// The engine with an unencrypted backend (the VXLAN cable's profile, no kernel): it says so loudly and publishes
/// the driver's name on the node's tunnel endpoint, as every backend does.
/// </summary>
public sealed class UnencryptedBackendEngineTests
{
    /// <summary>The cable's profile without its device: records the plans it is handed.</summary>
    private sealed class ProfileOnlyBackend(ITunnelProfile profile) : ITunnelBackend
    {
        private int _applies;

        public ITunnelProfile Profile => profile;

        public string InterfaceName => "rvt-cable0";

        public int Applies => Volatile.Read(ref _applies);

        public IReadOnlyDictionary<string, string> PublishedConfig() => new Dictionary<string, string>();

        public Task<TunnelApplyOutcome> ApplyAsync(TunnelPlan? plan, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _applies);
            return Task.FromResult(TunnelApplyOutcome.Unchanged);
        }

        public Task<IReadOnlyList<TunnelConnection>> ConnectionsAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<TunnelConnection>>([]);

        public Task DetachAsync() => Task.CompletedTask;

        public Task CleanupAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class RecordingLogger : ILogger
    {
        private readonly List<(LogLevel Level, string Text)> _entries = [];

        public IReadOnlyList<(LogLevel Level, string Text)> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries)
            {
                _entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }

    private static (AgentEngine Engine, InMemoryAgentInputs Inputs, ProfileOnlyBackend Backend, RecordingLogger Log, AgentMetrics Metrics) Rig(ITunnelProfile profile)
    {
        var inputs = new InMemoryAgentInputs();
        var gateways = CloudAndTwoNatedEdges();
        gateways[0].Spec.Endpoints = [TunnelEndpoint("cloud-gw", "203.0.113.10", withKey: false)];
        inputs.SetGateways(gateways);
        var backend = new ProfileOnlyBackend(profile);
        var log = new RecordingLogger();
        var metrics = new AgentMetrics();
        var flags = new Dictionary<string, string> { ["node-name"] = "cloud-gw", ["vpn-driver"] = profile.Name };
        var engine = new AgentEngine(config => AgentOptionsParser.Parse(flags, _ => null, config), inputs, inputs, backend,
            new PlanApplier([new TunnelStep(backend)]), metrics, log);
        return (engine, inputs, backend, log, metrics);
    }

    [Fact]
    public async Task An_unencrypted_backend_is_announced_with_a_warning_at_start_and_in_the_metrics()
    {
        var (engine, _, backend, log, _) = Rig(VxlanCableProfile.Instance);
        await using var _ = engine;
        using var stop = new CancellationTokenSource();

        var run = engine.RunAsync(stop.Token);
        (await Raven.TestSupport.Poll.TryUntilAsync(() => backend.Applies > 0, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20))).Should().BeTrue();
        await stop.CancelAsync();
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
        }

        log.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Text.Contains("traffic between gateways is NOT encrypted") && e.Text.Contains("vxlan"));
        engine.TunnelMetrics.Encrypted.WithLabels("vxlan").Value.Should().Be(0);
    }

    [Fact]
    public async Task An_encrypting_backend_logs_no_such_warning()
    {
        var (engine, _, _, log, _) = Rig(Raven.Agent.Tunnel.WireGuard.WireGuardProfile.Instance);
        await using var _ = engine;

        await engine.ApplyOnceAsync(CancellationToken.None);

        log.Entries.Should().NotContain(e => e.Text.Contains("NOT encrypted"));
        engine.TunnelMetrics.Encrypted.WithLabels("wireguard").Value.Should().Be(1);
    }

    [Fact]
    public async Task The_driver_name_is_published_on_the_nodes_tunnel_endpoint_once()
    {
        var (engine, inputs, _, log, _) = Rig(VxlanCableProfile.Instance);
        await using var _ = engine;

        await engine.ApplyOnceAsync(CancellationToken.None);
        await engine.ApplyOnceAsync(CancellationToken.None);

        var cloud = inputs.Get("cloud")!;
        cloud.Spec.Endpoints![0].Config![WellKnown.VpnDriverConfigKey].Should().Be("vxlan");
        cloud.Status.ActiveEndpoints![0].Config![WellKnown.VpnDriverConfigKey].Should().Be("vxlan");
        log.Entries.Count(e => e.Text.Contains("published vxlan tunnel config")).Should().Be(1, "the second pass finds it there");
    }
}
