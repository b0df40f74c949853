using System.Net;
using Raven.Api.Net;
using Raven.Api;
using Raven.Api.V1Beta1;

namespace Raven.Agent.Planning;

/// <summary>Agent settings the plan depends on. Defaults match upstream Raven.</summary>
public sealed record PlannerOptions
{
    /// <summary>raven-cfg enable-l3-tunnel (copied by the controller into the active endpoint config).</summary>
    public bool EnableL3Tunnel { get; init; } = true;

    /// <summary>
    /// forward-node-ip: also carry every node's private IP as a /32, where no other domain claims it. Off here so
    /// plans stay minimal unless asked; the agent's own default is on (<c>AgentOptions.ForwardNodeIp</c>).
    /// </summary>
    public bool ForwardNodeIp { get; init; }

    public int VpnListenPort { get; init; } = KernelNames.WireGuardListenPort;

    /// <summary>
    /// The tunnel device table-9028 routes point at (WireGuard: raven-wg0); agents sharing one machine's UAPI socket
    /// directory need distinct names.
    /// </summary>
    public string TunnelDevice { get; init; } = KernelNames.WireGuardDevice;

    /// <summary>The selected backend's pure facts (MTU overhead, which peers are usable); WireGuard by default.</summary>
    public ITunnelProfile Tunnel { get; init; } = Raven.Agent.Tunnel.WireGuard.WireGuardProfile.Instance;

    /// <summary>--vxlan-allow-untrusted-underlay, carried into <see cref="TunnelPlan.AllowUntrustedUnderlay"/>.</summary>
    public bool AllowUntrustedUnderlay { get; init; }

    /// <summary>Persistent keepalive on peers where either side is under NAT (upstream relay peers use 5 s).</summary>
    public int KeepaliveSeconds { get; init; } = 5;

    /// <summary>
    /// Persistent keepalive on a punched peer: short, so both ends' first packets leave within a second or two of each
    /// other and the hole opens soon after both learn the other's address, then stays open.
    /// </summary>
    public int PunchKeepaliveSeconds { get; init; } = 2;

    /// <summary>Whether the serving endpoint may try punched direct paths at all (the agent's --hole-punching).</summary>
    public bool HolePunching { get; init; } = true;

    public int UnderlayMtu { get; init; } = 1500;

    public int VxlanPort { get; init; } = KernelNames.VxlanPort;

    public int VxlanVni { get; init; } = KernelNames.VxlanVni;

    /// <summary>
    /// enable-l3-tunnel as the controller copies it from raven-cfg into the local gateway's active tunnel endpoint.
    /// Absent or not "true" means off, as upstream.
    /// </summary>
    public static bool L3EnabledIn(Gateway? localGateway) =>
        (localGateway?.Status?.ActiveEndpoints ?? [])
        .Any(e => e?.Type == WellKnown.EndpointTypeTunnel && e.Config is not null &&
                  e.Config.TryGetValue(WellKnown.EnableL3TunnelKey, out var value) &&
                  bool.TryParse(value, out var enabled) && enabled);

    /// <summary>Agent configuration errors are fatal and name the setting; Gateway errors never are.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, int value, string rule)
        {
            if (!ok)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be {rule}");
            }
        }

        // 576 is the smallest MTU every IPv4 host must accept; the tunnels must leave at least that.
        var overhead = Tunnel.Overhead(ipv6Underlay: true);
        Check(UnderlayMtu - overhead >= 576 && UnderlayMtu <= 65535, nameof(UnderlayMtu), UnderlayMtu, $"between {576 + overhead} and 65535");
        Check(VpnListenPort is > 0 and <= 65535, nameof(VpnListenPort), VpnListenPort, "a UDP port (1..65535)");
        Check(VxlanPort is > 0 and <= 65535, nameof(VxlanPort), VxlanPort, "a UDP port (1..65535)");
        Check(VxlanVni is >= 0 and < (1 << 24), nameof(VxlanVni), VxlanVni, "a 24-bit VNI");
        Check(KeepaliveSeconds is >= 0 and <= 65535, nameof(KeepaliveSeconds), KeepaliveSeconds, "0 (off) to 65535 seconds");
        Check(PunchKeepaliveSeconds is > 0 and <= 65535, nameof(PunchKeepaliveSeconds), PunchKeepaliveSeconds, "1 to 65535 seconds");
    }
}

/// <summary>The node the plan is for. Its address in Gateway status wins over <see cref="InternalIp"/>.</summary>
public sealed record LocalNode(string Name, IPAddress? InternalIp)
{
    /// <summary>
    /// The prefixes of this node's own interface addresses (its LAN, CNI bridges, ...), read by the agent; raven's
    /// own devices excluded. Nothing inside them is ever routed into the tunnel, whatever remote Gateways announce.
    /// </summary>
    public IReadOnlyList<Cidr> ConnectedPrefixes { get; init; } = [];

    /// <summary>
    /// Per domain (Gateway name), the tunnel endpoint node this node's own data-plane probes chose to send through
    /// when it differs from the first of <c>status.activeEndpoints</c>. Only an active endpoint of that domain is
    /// taken; any other name is ignored. Empty: everyone follows the status order.
    /// </summary>
    public IReadOnlyDictionary<string, string> ServingGateways { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Per remote domain whose pair with the local domain may be punched (<see cref="IPathPolicy.MayPunch"/>), the
    /// stage this node's probes reached; absent: <see cref="PunchStage.Relayed"/>. Only the local domain's serving
    /// tunnel endpoint punches; elsewhere it is ignored.
    /// </summary>
    public IReadOnlyDictionary<string, PunchStage> PunchedPaths { get; init; } = new Dictionary<string, PunchStage>(StringComparer.Ordinal);
}
