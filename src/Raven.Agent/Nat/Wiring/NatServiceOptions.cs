namespace Raven.Agent.Nat.Wiring;

public sealed record NatServiceOptions
{
    public required string NodeName { get; init; }

    /// <summary>The tunnel's local UDP port: discovery leaves from it, so the public port learned is the tunnel's.</summary>
    public required int TunnelPort { get; init; }

    /// <summary>Run inside this named network namespace (the lab and tests); null for the agent's own.</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>How often an edge re-checks its NAT (mappings change when a router reboots or a lease renews).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How soon a failed run is retried (the responder may not be up yet).</summary>
    public TimeSpan RetryAfterFailure { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>publicIP comes from --public-ip / $NODE_PUBLIC_IP: discovery never overwrites it.</summary>
    public bool PublicIpPinned { get; init; }

    public int PrimaryPort { get; init; } = StunResponderLayout.DefaultPrimaryPort;

    public int AlternatePort { get; init; } = StunResponderLayout.DefaultAlternatePort;

    public int ChangeSourcePort { get; init; } = StunResponderLayout.DefaultChangeSourcePort;

    /// <summary>Per-run settings (deadline, retransmissions); the responder's address is filled in per run.</summary>
    public Func<System.Net.IPEndPoint, NatDiscoveryOptions> Discovery { get; init; } = server => new NatDiscoveryOptions { Responder = server };
}
