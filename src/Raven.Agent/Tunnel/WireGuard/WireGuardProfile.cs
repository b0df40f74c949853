using Raven.Agent.Planning;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>
/// WireGuard as the planner sees it: a peer is usable once it published a 32-byte base64 public key in
/// <c>config.publicKey</c>, and that key identifies the peer, so two gateways may never share one.
/// </summary>
public sealed class WireGuardProfile : ITunnelProfile
{
    public const string BackendName = "wireguard";
    public const string PublicKeyConfigKey = "publicKey";

    /// <summary>Outer IPv4 (20) or IPv6 (40), UDP 8, WireGuard header 16, Poly1305 tag 16.</summary>
    public const int OverheadIPv4 = 60;
    public const int OverheadIPv6 = 80;

    public static WireGuardProfile Instance { get; } = new();

    public string Name => BackendName;

    public int Overhead(bool ipv6Underlay) => ipv6Underlay ? OverheadIPv6 : OverheadIPv4;

    /// <summary>Every standby pair is a peer with its own AllowedIPs.</summary>
    public bool RoutesStandbyPairs => true;

    /// <summary>Persistent keepalive sends from the listen port to the configured endpoint; a peer roams to where it is heard from.</summary>
    public bool PunchesHoles => true;

    public PeerConfigProblem? ProblemWith(EndpointConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var key = config[PublicKeyConfigKey];
        if (string.IsNullOrEmpty(key))
        {
            return new("WireGuard public key unknown", DiagnosticKind.Notice);
        }

        return IsKey(key) ? null
            : new($"config.{PublicKeyConfigKey} is not a base64 WireGuard key", DiagnosticKind.SkippedPeer);
    }

    public string? Identity(EndpointConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config[PublicKeyConfigKey] is { } key && IsKey(key) ? key : null;
    }

    private static bool IsKey(string key)
    {
        Span<byte> raw = stackalloc byte[33];
        return Convert.TryFromBase64String(key, raw, out var length) && length == 32;
    }
}
