using System.Net;
using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Health.Probing;

public sealed record ResponderOptions
{
    /// <summary>This node's name; its <see cref="ProbeNodeId"/> goes into every reply, so a prober sees who answered.</summary>
    public required string NodeName { get; init; }

    /// <summary>Address to answer on; <see cref="IPAddress.Any"/> answers on every address of the namespace.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>UDP port; 0 picks a free one (tests).</summary>
    public int Port { get; init; } = ProbeWire.DefaultPort;

    /// <summary>Named network namespace the socket lives in (tests, the lab); null for the process's own.</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>Replies per second one source address may get; one prober target sends 10 per second by default.</summary>
    public double RepliesPerSecondPerSource { get; init; } = 200;

    /// <summary>Replies one source may get at once after being quiet.</summary>
    public int BurstPerSource { get; init; } = 50;

    /// <summary>Source addresses tracked for rate limiting and node ids tracked as peers; beyond that they share one bucket.</summary>
    public int MaxTrackedSources { get; init; } = 4096;

    public ResponderOptions Validated()
    {
        if (string.IsNullOrWhiteSpace(NodeName))
        {
            throw new ArgumentException("probe responder: NodeName must not be empty", nameof(NodeName));
        }

        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"probe responder: Port {Port} is not a UDP port", nameof(Port));
        }

        if (!(RepliesPerSecondPerSource > 0) || BurstPerSource < 1)
        {
            throw new ArgumentException("probe responder: RepliesPerSecondPerSource and BurstPerSource must be positive",
                nameof(RepliesPerSecondPerSource));
        }

        if (MaxTrackedSources < 1)
        {
            throw new ArgumentException("probe responder: MaxTrackedSources must be positive", nameof(MaxTrackedSources));
        }

        return this;
    }
}
