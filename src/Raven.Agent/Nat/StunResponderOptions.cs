using System.Net;

namespace Raven.Agent.Nat;

/// <summary>How the exposed gateway's agent serves STUN.</summary>
public sealed record StunResponderOptions
{
    /// <summary>The addresses and ports clients see (advertised in RESPONSE-ORIGIN and OTHER-ADDRESS).</summary>
    public required StunResponderLayout Layout { get; init; }

    /// <summary>Where the primary address's three sockets bind; the advertised address when it is local, else Any.</summary>
    public IPAddress PrimaryBindAddress { get; init; } = IPAddress.Any;

    /// <summary>Where the secondary address's sockets bind (required when the layout has a secondary address).</summary>
    public IPAddress? SecondaryBindAddress { get; init; }

    public SourceRateLimitOptions RateLimit { get; init; } = new();
}
