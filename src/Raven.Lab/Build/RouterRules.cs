using System.Text;
using Raven.Lab.Topology;

namespace Raven.Lab.Build;

/// <summary>
/// The netfilter rules of a domain router, as one iptables-restore document so they apply atomically.
/// Every router masquerades its LAN and drops unsolicited inbound from the WAN, on INPUT as well as FORWARD. The
/// INPUT drop is what real CPE routers do, and it matters: without it, a peer's first hole-punch packet to the
/// router's own address creates a conntrack entry that forces the local side's mapping onto another port, and the
/// double-NAT punch deadlocks (reference: dataplane-on-this-machine §5c).
/// </summary>
public static class RouterRules
{
    public static string For(LabDomain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var wan = LabNames.RouterWan;
        var lan = domain.LanCidr.ToString();
        var exposure = domain.Router.Exposure;
        var rules = new StringBuilder();
        rules.AppendLine("*nat")
            .AppendLine(":PREROUTING ACCEPT [0:0]")
            .AppendLine(":INPUT ACCEPT [0:0]")
            .AppendLine(":OUTPUT ACCEPT [0:0]")
            .AppendLine(":POSTROUTING ACCEPT [0:0]");
        if (exposure is not null)
        {
            var node = domain.Nodes.Single(n => n.LabName == exposure.NodeLabName);
            // DNAT from either side: LAN neighbours may use the public address too (NAT loopback), and the hairpin
            // masquerade makes the node answer them through the router rather than directly.
            rules.AppendLine($"-A PREROUTING -d {exposure.PublicAddress}/32 -j DNAT --to-destination {node.LanAddress}")
                .AppendLine($"-A POSTROUTING -s {node.LanAddress}/32 -o {wan} -j SNAT --to-source {exposure.PublicAddress}")
                .AppendLine($"-A POSTROUTING -s {lan} -d {node.LanAddress}/32 -o {LabNames.RouterLanBridge} -m conntrack --ctstate DNAT -j MASQUERADE");
        }

        rules.AppendLine($"-A POSTROUTING -s {lan} -o {wan} -j MASQUERADE")
            .AppendLine("COMMIT")
            .AppendLine("*filter")
            .AppendLine(":INPUT ACCEPT [0:0]")
            .AppendLine(":FORWARD ACCEPT [0:0]")
            .AppendLine(":OUTPUT ACCEPT [0:0]")
            .AppendLine($"-A INPUT -i {wan} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT")
            .AppendLine($"-A INPUT -i {wan} -m conntrack --ctstate NEW,INVALID -j DROP")
            .AppendLine($"-A FORWARD -i {wan} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
        if (exposure is not null)
        {
            rules.AppendLine($"-A FORWARD -i {wan} -m conntrack --ctstate DNAT -j ACCEPT");
        }

        rules.AppendLine($"-A FORWARD -i {wan} -m conntrack --ctstate NEW,INVALID -j DROP")
            .AppendLine("COMMIT");
        return rules.ToString();
    }
}
