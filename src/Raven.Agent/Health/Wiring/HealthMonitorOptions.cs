using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Health.Wiring;

public sealed record HealthMonitorOptions
{
    public required string NodeName { get; init; }

    /// <summary>The node's network namespace; null: the agent's own.</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>Probe authentication from $VPN_CONNECTION_PSK; null: unauthenticated (logged loudly by the responder).</summary>
    public ProbeKey? Key { get; init; }

    public int Port { get; init; } = ProbeWire.DefaultPort;

    /// <summary>
    /// The agent's state directory, where a probe stand-in records itself across a restart (<see cref="ProbeStandIn"/>);
    /// null: no stand-in is taken over or handed to.
    /// </summary>
    public string? StateDirectory { get; init; }

    public DetectorOptions Detector { get; init; } = new();

    /// <summary>How often decisions are taken from the latest probe results (half a probe interval by default).</summary>
    public TimeSpan DecideEvery { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Trials and the direct-vs-relay cost choice of punched paths.</summary>
    public Paths.PunchOptions Punch { get; init; } = new();
}
