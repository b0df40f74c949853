using System.Net;

namespace Raven.Agent.Engine;

/// <summary>The agent's validated settings (flags, environment and kube-system/raven-agent-config; flags win).</summary>
public sealed record AgentOptions
{
    public const string DefaultStateDirectory = "/var/lib/raven";

    public required string NodeName { get; init; }

    /// <summary>The node's InternalIP; the privateIP in Gateway status wins when they differ.</summary>
    public IPAddress? NodeIp { get; init; }

    /// <summary>Null means in-cluster configuration.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>The tunnel backend's registry name (<see cref="Tunnel.TunnelBackends"/>), canonical: aliases are resolved.</summary>
    public string VpnDriver { get; init; } = AgentOptionsParser.WireGuardDriver;

    /// <summary>
    /// Route node IPs (/32) across domains, so node ↔ node works as the user manual shows. On by default (upstream:
    /// off) because the planner forwards only node IPs no other domain claims and never a local address; colliding
    /// node IPs are reached by name through L7. <c>--forward-node-ip=false</c> or the ConfigMap key turns it off.
    /// </summary>
    public bool ForwardNodeIp { get; init; } = true;

    /// <summary>
    /// Data-plane health probes on UDP 4473 (docs/health-probes.md): members and tunnel endpoints switch between a
    /// domain's tunnel endpoints on their own within about a second, without waiting for the controller. Needs UDP
    /// 4473 open between the nodes of a domain and forward-node-ip for the probes through the tunnel.
    /// </summary>
    public bool FailoverProbes { get; init; } = true;

    /// <summary>
    /// --nat-traversal (upstream's flag; upstream defaults it to false because it asks public STUN servers): the
    /// exposed gateway serves STUN on UDP 3478/3479 (answers also leave from 3480), and tunnel endpoints under NAT
    /// learn and publish publicIP, publicPort and natType from it (docs/nat-traversal.md). On by default here, as
    /// nothing leaves the cluster.
    /// </summary>
    public bool NatTraversal { get; init; } = true;

    /// <summary>
    /// --hole-punching (ours): NATed edge gateways whose published NAT types allow it try a punched direct tunnel and
    /// move to it when its probes find it cheaper (docs/nat-traversal.md). Off by default until the switch between
    /// the relay and the direct path is loss-free: today each edge switches on its own probes, a few hundred ms apart,
    /// and one direction can drop packets meanwhile. Needs --nat-traversal and --failover-probes.
    /// </summary>
    public bool HolePunching { get; init; }

    public int VpnBindPort { get; init; } = Planning.KernelNames.WireGuardListenPort;

    /// <summary>Persistent keepalive of peers where either side is under NAT; 0 turns it off.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Accepted for compatibility; it is the IPsec DPD timeout and unused by WireGuard.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public string MetricBindAddress { get; init; } = ":10265";

    public string HealthProbeAddress { get; init; } = ":10275";

    /// <summary>Full re-apply period that heals drift made by anyone else.</summary>
    public TimeSpan SyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    public string StateDirectory { get; init; } = DefaultStateDirectory;

    /// <summary>The WireGuard interface; distinct per node when several agents share a machine (UAPI sockets are host-global).</summary>
    public string WireGuardInterface { get; init; } = Planning.KernelNames.WireGuardDevice;

    /// <summary>Explicit public IP of this node's tunnel endpoint; used only when the Gateway has none.</summary>
    public IPAddress? PublicIp { get; init; }

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>
    /// --underlay-mtu / raven-agent-config underlay-mtu: the MTU of the network between nodes, from which the VXLAN,
    /// tunnel and route MTUs are derived. 1500 by default; set it to the smallest device MTU on the path (cloud VPCs
    /// and PPPoE links are often smaller), which `raven diagnose` compares with what each node's kernel has.
    /// </summary>
    public int UnderlayMtu { get; init; } = 1500;

    /// <summary>
    /// On SIGTERM the agent renews its Lease a last time for max(this, <see cref="LeaseDuration"/>): the data plane it
    /// leaves keeps forwarding, and a restarted agent (rollout restart) renews within this, so the controller does not
    /// fail the node's gateway over. A node that goes away after a clean stop fails over this long after it. Zero: no hold.
    /// </summary>
    public TimeSpan StopLeaseHold { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>--sync-raven-rules=false turns the periodic re-apply off (changes still apply at once).</summary>
    public bool SyncRules { get; init; } = true;

    /// <summary>
    /// $VPN_CONNECTION_PSK (from a Secret); WireGuard uses SHA-256 of it as the preshared key of every peer, as
    /// upstream does. Unlike upstream there is no built-in default: unset means no preshared key.
    /// </summary>
    public string? PresharedKeySecret { get; init; }

    /// <summary>
    /// --vxlan-allow-untrusted-underlay / raven-agent-config key of the same name: the unencrypted VXLAN cable also
    /// connects peers under NAT or across public addresses (the operator vouches for the path, e.g. port forwarding
    /// over a private WAN). Off by default.
    /// </summary>
    public bool VxlanAllowUntrustedUnderlay { get; init; }

    /// <summary>The resync period the loop uses: <see cref="SyncPeriod"/>, or effectively never when syncing is off.</summary>
    public TimeSpan EffectiveSyncPeriod => SyncRules ? SyncPeriod : TimeSpan.FromDays(365);

    public Planning.PlannerOptions ToPlannerOptions(bool enableL3Tunnel) => new()
    {
        EnableL3Tunnel = enableL3Tunnel,
        ForwardNodeIp = ForwardNodeIp,
        VpnListenPort = VpnBindPort,
        TunnelDevice = WireGuardInterface,
        KeepaliveSeconds = (int)KeepAliveInterval.TotalSeconds,
        AllowUntrustedUnderlay = VxlanAllowUntrustedUnderlay,
        HolePunching = HolePunching,
        UnderlayMtu = UnderlayMtu,
    };
}
