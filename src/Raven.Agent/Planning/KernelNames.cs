namespace Raven.Agent.Planning;

/// <summary>Kernel object names and numbers that are part of the compatibility contract (DESIGN §1).</summary>
public static class KernelNames
{
    public const string VxlanDevice = "raven0";
    public const int VxlanVni = 200;
    public const int VxlanPort = 4472;
    public const string WireGuardDevice = "raven-wg0";
    public const int WireGuardListenPort = 4500;

    public const int VxlanRouteTable = 9027;
    public const int VxlanRulePriority = 100;
    public const int WireGuardRouteTable = 9028;
    public const int WireGuardRulePriority = 101;

    /// <summary>
    /// Ours (upstream has no standbys): on a standby tunnel endpoint, "from its node IP lookup 9028", before the mark
    /// rule, so the node's own traffic to remote domains (its probes, their replies) leaves through its own tunnel.
    /// </summary>
    public const int StandbySourceRulePriority = 99;

    /// <summary>Only this bit is set and matched, so marks owned by the CNI or kube-proxy survive.</summary>
    public const uint RavenMark = 0x40;

    public const string MarkSet = "raven-mark-set";
    public const string SkipNatSet = "raven-skip-nat-set";
    public const string MarkChain = "RAVEN-MARK-CHAIN";
    public const string PostRoutingChain = "RAVEN-POSTROUTING";

    /// <summary>Ours (upstream has no MSS clamping): mangle chain hooked from FORWARD on the tunnel gateway.</summary>
    public const string MssChain = "RAVEN-MSS-CHAIN";

    /// <summary>Locally administered unicast prefix for raven0 MACs; the other four bytes are the overlay IPv4.</summary>
    public const string MacPrefix = "aa:0f";
}
