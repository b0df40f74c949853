using System.Globalization;
using System.Net;

namespace Raven.Agent.Linux.Netfilter;

/// <summary>
/// Raven's netfilter names and the rules built from them. Compared with upstream, the mark is masked
/// (--set-xmark 0x40/0x40, keeping other bits such as CNI marks) and the mangle jumps are inserted first.
/// </summary>
public static class RavenNetfilter
{
    public const string MarkSet = "raven-mark-set";
    public const string SkipNatSet = "raven-skip-nat-set";
    public const string MarkChain = "RAVEN-MARK-CHAIN";
    public const string PostRoutingChain = "RAVEN-POSTROUTING";
    public const string MssClampChain = "RAVEN-MSS-CLAMP";
    public const string UnmarkChain = "RAVEN-UNMARK";
    public const uint Mark = 0x40;

    public static readonly IReadOnlyCollection<string> OwnedSets = [MarkSet, SkipNatSet];

    public static readonly IReadOnlyCollection<(string Table, string Chain)> OwnedChains =
        [("mangle", MarkChain), ("mangle", MssClampChain), ("mangle", UnmarkChain), ("nat", PostRoutingChain)];

    /// <summary>Inputs for one node. Empty / null parts are removed from the kernel (owned names only).</summary>
    /// <param name="MarkSubnets">Subnets whose traffic is steered into table 9027: remote subnets on any node.</param>
    /// <param name="IsGateway">Gateways mark by source (decapsulated remote traffic), other nodes by destination.</param>
    /// <param name="SkipNatPairs">(source, destination) pairs exempt from CNI masquerade; gateway only.</param>
    /// <param name="SkipNatOutputInterface">Restricts the skip-NAT jump to a tunnel device, e.g. raven-wg0.</param>
    /// <param name="ClampMss">Clamp TCP MSS of forwarded SYNs (to the path MTU, or to <paramref name="MssValue"/>).</param>
    /// <param name="UnmarkOutputInterface">
    /// The VXLAN device (raven0). Clears the Raven mark bit in mangle POSTROUTING on packets leaving through it, so the
    /// encapsulated outer packet is not routed by the fwmark rule back into table 9027. Upstream uses a tc skbedit
    /// filter for this; the iptables form needs no tc support.
    /// </param>
    /// <param name="SkipNatWithIpSet">
    /// Upstream matches skip-NAT pairs with a hash:net,net set. Kernels without CONFIG_IP_SET_HASH_NETNET (such as
    /// this project's test VM) need one ACCEPT rule per pair instead; see <see cref="NetfilterApplier.SupportsIpSetTypeAsync"/>.
    /// </param>
    public sealed record Inputs(
        IReadOnlyList<IPNetwork> MarkSubnets,
        bool IsGateway,
        IReadOnlyList<(IPNetwork Source, IPNetwork Destination)> SkipNatPairs,
        string? SkipNatOutputInterface = null,
        bool ClampMss = false,
        int? MssValue = null,
        bool SkipNatWithIpSet = true,
        string? UnmarkOutputInterface = null);

    public const string SkipNatSetType = "hash:net,net";

    public static NetfilterState Build(Inputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var sets = new List<IpSetSpec>();
        var chains = new List<IptablesChainSpec>();
        var jumps = new List<IptablesJumpSpec>();

        if (inputs.MarkSubnets.Count > 0)
        {
            sets.Add(new IpSetSpec(MarkSet, "hash:net", inputs.MarkSubnets.Select(n => n.ToString()).ToList()));
            string direction = inputs.IsGateway ? "src" : "dst";
            string mark = string.Create(CultureInfo.InvariantCulture, $"0x{Mark:x}/0x{Mark:x}");
            chains.Add(new IptablesChainSpec("mangle", MarkChain,
                [$"-m set --match-set {MarkSet} {direction} -m comment --comment \"raven traffic requiring certain mark\" -j MARK --set-xmark {mark}"]));
            const string comment = "-m comment --comment \"raven traffic rules for mark\"";
            jumps.Add(new IptablesJumpSpec("mangle", "PREROUTING", MarkChain, comment));
            jumps.Add(new IptablesJumpSpec("mangle", "OUTPUT", MarkChain, comment));
        }

        if (inputs.SkipNatPairs.Count > 0)
        {
            if (inputs.SkipNatWithIpSet)
            {
                sets.Add(new IpSetSpec(SkipNatSet, SkipNatSetType, inputs.SkipNatPairs.Select(p => $"{p.Source},{p.Destination}").ToList()));
                chains.Add(new IptablesChainSpec("nat", PostRoutingChain, [$"-m set --match-set {SkipNatSet} src,dst -j ACCEPT"]));
            }
            else
            {
                chains.Add(new IptablesChainSpec("nat", PostRoutingChain,
                    inputs.SkipNatPairs.Distinct().Select(p => $"-s {p.Source} -d {p.Destination} -j ACCEPT").ToList()));
            }

            string output = inputs.SkipNatOutputInterface is null ? "" : $"-o {inputs.SkipNatOutputInterface} ";
            jumps.Add(new IptablesJumpSpec("nat", "POSTROUTING", PostRoutingChain, $"{output}-m comment --comment \"raven traffic should skip NAT\""));
        }

        if (inputs.UnmarkOutputInterface is not null)
        {
            string clear = string.Create(CultureInfo.InvariantCulture, $"0x0/0x{Mark:x}");
            chains.Add(new IptablesChainSpec("mangle", UnmarkChain, [$"-o {inputs.UnmarkOutputInterface} -j MARK --set-xmark {clear}"]));
            jumps.Add(new IptablesJumpSpec("mangle", "POSTROUTING", UnmarkChain));
        }

        if (inputs.ClampMss)
        {
            string target = inputs.MssValue is int mss
                ? string.Create(CultureInfo.InvariantCulture, $"--set-mss {mss}")
                : "--clamp-mss-to-pmtu";
            chains.Add(new IptablesChainSpec("mangle", MssClampChain, [$"-p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS {target}"]));
            jumps.Add(new IptablesJumpSpec("mangle", "FORWARD", MssClampChain));
        }

        return new NetfilterState(sets, chains, jumps, OwnedSets, OwnedChains);
    }

    /// <summary>Desired state that removes everything Raven owns.</summary>
    public static NetfilterState Cleanup() => new([], [], [], OwnedSets, OwnedChains);
}
