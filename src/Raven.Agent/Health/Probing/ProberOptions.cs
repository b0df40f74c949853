using Raven.Agent.Health.Detection;

namespace Raven.Agent.Health.Probing;

public sealed record ProberOptions
{
    /// <summary>This node's name; its <see cref="Protocol.ProbeNodeId"/> goes into every request.</summary>
    public required string NodeName { get; init; }

    public DetectorOptions Detector { get; init; } = new();

    /// <summary>Named network namespace the probe sockets live in (tests, the lab); null for the process's own.</summary>
    public string? NetworkNamespace { get; init; }
}
