using Raven.Agent.Engine;
using Raven.Agent.Engine.Drivers;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;
using Raven.Agent.Tunnel.WireGuard;
using Raven.Api.V1Beta1;

namespace Raven.Agent.Tests.Engine;

/// <summary>A driver that records the plans it was handed and fails while <see cref="Failure"/> is set.</summary>
internal sealed class FakeDriver(string name) : IPlanDriver
{
    private readonly List<(NetworkPlan Plan, DateTimeOffset At)> _applied = [];

    public string Name => name;

    public string? Failure { get; set; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public int Count
    {
        get
        {
            lock (_applied)
            {
                return _applied.Count;
            }
        }
    }

    public IReadOnlyList<DateTimeOffset> Times
    {
        get
        {
            lock (_applied)
            {
                return _applied.Select(a => a.At).ToList();
            }
        }
    }

    public Task<DriverOutcome> ApplyAsync(NetworkPlan plan, CancellationToken cancellationToken)
    {
        lock (_applied)
        {
            _applied.Add((plan, Clock.GetUtcNow()));
        }

        return Failure is { } failure ? throw new InvalidOperationException(failure) : Task.FromResult(DriverOutcome.Of(name, false));
    }
}

/// <summary>A WireGuard-shaped backend without a device: publishes a fixed key, reports the plan's peers as connections.</summary>
internal sealed class FakeTunnelBackend(string publicKey) : ITunnelBackend
{
    public ITunnelProfile Profile => WireGuardProfile.Instance;

    public string InterfaceName => "rvt-fake0";

    public TunnelPlan? Last { get; private set; }

    /// <summary>Gateways the backend refuses, as a real one would refuse a peer it cannot configure.</summary>
    public HashSet<string> Refuse { get; } = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> PublishedConfig() =>
        new Dictionary<string, string> { [WireGuardProfile.PublicKeyConfigKey] = publicKey };

    public Task<TunnelApplyOutcome> ApplyAsync(TunnelPlan? plan, CancellationToken cancellationToken)
    {
        var changed = !Equals(Last, plan);
        Last = plan;
        var skipped = (plan?.Peers ?? ValueList<TunnelPeer>.Empty).Where(p => Refuse.Contains(p.GatewayName))
            .Select(p => new SkippedTunnelPeer(p.GatewayName, "refused by the fake backend")).ToList();
        return Task.FromResult(new TunnelApplyOutcome(changed, "", skipped));
    }

    private int _reads;

    /// <summary>How often the engine read connections; it does so after each pass, once it has scheduled the next.</summary>
    public int Reads => Volatile.Read(ref _reads);

    public Task<IReadOnlyList<TunnelConnection>> ConnectionsAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return Task.FromResult<IReadOnlyList<TunnelConnection>>((Last?.Peers ?? ValueList<TunnelPeer>.Empty)
            .Select(p => new TunnelConnection(p.GatewayName, p.GatewayName, TunnelConnectionState.Up, null, 1, 2)).ToList());
    }

    public Task DetachAsync() => Task.CompletedTask;

    public Task CleanupAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

internal sealed class RecordingEvents : IGatewayEvents
{
    private readonly List<(string Gateway, string Reason, string Message)> _events = [];

    public IReadOnlyList<(string Gateway, string Reason, string Message)> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToList();
            }
        }
    }

    public Task WarnAsync(Gateway gateway, string reason, string message, CancellationToken cancellationToken)
    {
        lock (_events)
        {
            _events.Add((gateway.Name, reason, message));
        }

        return Task.CompletedTask;
    }
}
