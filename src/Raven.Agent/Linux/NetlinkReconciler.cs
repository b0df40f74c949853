using System.Net;

namespace Raven.Agent.Linux;

/// <summary>
/// Brings links, addresses, routes, rules and neighbours to a desired state through <see cref="RtNetlink"/>, sending
/// only the differences. One failing object does not stop the others; failures are reported together at the end.
/// </summary>
public sealed class NetlinkReconciler(RtNetlink netlink)
{
    public RtNetlink Netlink { get; } = netlink ?? throw new ArgumentNullException(nameof(netlink));

    public NetLink EnsureBridge(string name, int? mtu = null, bool up = true)
    {
        var link = Netlink.FindLink(name);
        if (link is not null && link.Kind != "bridge")
        {
            throw new InvalidOperationException($"link '{name}' exists with kind '{link.Kind}', expected a bridge");
        }

        if (link is null)
        {
            Netlink.CreateBridge(name, mtu);
        }

        return EnsureMtuAndState(name, mtu, up);
    }

    /// <summary>Creates the VXLAN device, recreating it when its identity (VNI, addresses, parent, port, learning, outer checksum) differs.</summary>
    public NetLink EnsureVxlan(VxlanLinkSpec spec, bool up = true)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var link = Netlink.FindLink(spec.Name);
        if (link is not null && !VxlanMatches(link, spec))
        {
            Netlink.DeleteLink(link.Index);
            link = null;
        }

        if (link is null)
        {
            Netlink.CreateVxlan(spec);
        }

        return EnsureMtuAndState(spec.Name, spec.Mtu, up);
    }

    public void EnsureLinkAbsent(string name)
    {
        if (Netlink.FindLink(name) is { } link)
        {
            Netlink.DeleteLink(link.Index);
        }
    }

    /// <summary>Makes the IPv4 addresses of one interface exactly <paramref name="desired"/>.</summary>
    public void SyncAddresses(int interfaceIndex, IEnumerable<NetAddress> desired)
    {
        var wanted = desired.Select(a => a with { InterfaceIndex = interfaceIndex, Label = null }).ToList();
        var actual = Netlink.ListAddresses().Where(a => a.InterfaceIndex == interfaceIndex).Select(a => a with { Label = null });
        var diff = StateDiff.Compute(wanted, actual, a => (a.Address, a.PrefixLength), (a, d) => a.Scope == d.Scope);
        var errors = new List<Exception>();
        Try(errors, diff.ToRemove, Netlink.DeleteAddress);
        Try(errors, diff.ToChange.Select(c => c.Desired), Netlink.ReplaceAddress);
        Try(errors, diff.ToAdd, Netlink.AddAddress);
        ThrowIfAny(errors, $"addresses of link #{interfaceIndex}");
    }

    /// <summary>Makes routing table <paramref name="table"/> hold exactly <paramref name="desired"/> (IPv4).</summary>
    public void SyncRoutes(uint table, IEnumerable<NetRoute> desired)
    {
        var wanted = desired.ToList();
        if (wanted.FirstOrDefault(r => r.Table != table) is { } stray)
        {
            throw new ArgumentException($"route {stray} is not in table {table}", nameof(desired));
        }

        var diff = StateDiff.Compute(wanted, Netlink.ListRoutes(table), r => (r.Destination, r.Metric), (a, d) => a == d);
        var errors = new List<Exception>();
        Try(errors, diff.ToRemove, Netlink.DeleteRoute);
        Try(errors, diff.ToChange.Select(c => c.Desired), Netlink.ReplaceRoute);
        Try(errors, diff.ToAdd, Netlink.AddRoute);
        ThrowIfAny(errors, $"routes of table {table}");
    }

    /// <summary>Makes the IPv4 rules that point at <paramref name="ownedTables"/> exactly <paramref name="desired"/>.</summary>
    public void SyncRules(IEnumerable<NetRule> desired, IEnumerable<uint> ownedTables)
    {
        var wanted = desired.ToList();
        var owned = new HashSet<uint>(ownedTables);
        owned.UnionWith(wanted.Select(r => r.Table));
        var actual = Netlink.ListRules().Where(r => owned.Contains(r.Table));
        var diff = StateDiff.Compute(wanted, actual, RuleKey, (a, d) => a.Matches(d));
        var errors = new List<Exception>();
        Try(errors, diff.ToRemove.Concat(diff.ToChange.Select(c => c.Actual)), Netlink.DeleteRule);
        Try(errors, diff.ToAdd.Concat(diff.ToChange.Select(c => c.Desired)), Netlink.AddRule);
        ThrowIfAny(errors, "rules");
    }

    /// <summary>Makes the permanent ARP entries of one interface exactly <paramref name="desired"/> (dynamic ones are left alone).</summary>
    public void SyncArp(int interfaceIndex, IEnumerable<NetNeighbor> desired)
    {
        var wanted = desired.Select(n => n with { Family = NeighborFamily.Inet, InterfaceIndex = interfaceIndex, Flags = NeighborFlags.None }).ToList();
        if (wanted.FirstOrDefault(n => n.Destination is null || n.Mac is null) is { } incomplete)
        {
            throw new ArgumentException($"ARP entry {incomplete} needs both an IP address and a MAC", nameof(desired));
        }

        var actual = Netlink.ListNeighbors(NeighborFamily.Inet, interfaceIndex).Where(n => n.State.HasFlag(NeighborState.Permanent));
        var diff = StateDiff.Compute(wanted, actual, n => n.Destination!, (a, d) => a.Mac == d.Mac && a.State == d.State);
        var errors = new List<Exception>();
        Try(errors, diff.ToRemove, Netlink.DeleteNeighbor);
        Try(errors, diff.ToChange.Select(c => c.Desired).Concat(diff.ToAdd), n => Netlink.AddNeighbor(n, NeighborWriteMode.Replace));
        ThrowIfAny(errors, $"ARP entries of link #{interfaceIndex}");
    }

    /// <summary>Makes the static FDB entries (NTF_SELF) of a VXLAN device exactly <paramref name="desired"/>.</summary>
    public void SyncFdb(int interfaceIndex, IEnumerable<NetNeighbor> desired)
    {
        var wanted = desired.Select(n => n with { Family = NeighborFamily.Bridge, InterfaceIndex = interfaceIndex, Flags = NeighborFlags.Self }).ToList();
        if (wanted.FirstOrDefault(n => n.Mac is null) is { } incomplete)
        {
            throw new ArgumentException($"FDB entry {incomplete} needs a MAC", nameof(desired));
        }

        var actual = Netlink.ListNeighbors(NeighborFamily.Bridge, interfaceIndex)
            .Where(n => n.Flags.HasFlag(NeighborFlags.Self) && n.State.HasFlag(NeighborState.Permanent))
            .Select(n => n with { Flags = NeighborFlags.Self });
        var diff = StateDiff.Compute(wanted, actual, n => (n.Mac, n.Destination), (a, d) => a.State == d.State && a.Port == d.Port);
        var errors = new List<Exception>();
        Try(errors, diff.ToRemove.Concat(diff.ToChange.Select(c => c.Actual)), Netlink.DeleteNeighbor);

        // Append, not replace: an all-zero MAC carries one entry per remote VTEP and replace would collapse them.
        Try(errors, diff.ToChange.Select(c => c.Desired).Concat(diff.ToAdd), n => Netlink.AddNeighbor(n, NeighborWriteMode.Append));
        ThrowIfAny(errors, $"FDB entries of link #{interfaceIndex}");
    }

    private static (uint, uint, IPNetwork?, IPNetwork?, uint, uint?, string?, string?) RuleKey(NetRule r) =>
        (r.Priority, r.Table, r.Source, r.Destination, r.FwMark ?? 0, r.EffectiveFwMask, r.InputInterface, r.OutputInterface);

    private static bool VxlanMatches(NetLink link, VxlanLinkSpec spec) =>
        link.Kind == "vxlan" && link.Vxlan is { } v && v.Vni == spec.Vni && Equals(v.Local, spec.Local) &&
        Equals(v.Remote, spec.Remote) && v.ParentIndex == spec.ParentIndex && v.Port == spec.Port &&
        v.Learning == spec.Learning && (spec.Mac is null || link.Mac == spec.Mac) &&
        (spec.UdpChecksum is null || v.UdpChecksum == spec.UdpChecksum); // the kernel cannot change it in place: recreate

    private static void Try<T>(List<Exception> errors, IEnumerable<T> items, Action<T> apply)
    {
        foreach (var item in items)
        {
            try
            {
                apply(item);
            }
            catch (NetlinkException ex)
            {
                errors.Add(ex);
            }
        }
    }

    private static void ThrowIfAny(List<Exception> errors, string what)
    {
        if (errors.Count == 1)
        {
            throw new NetlinkException($"reconcile {what}: {errors[0].Message}", errors[0]);
        }

        if (errors.Count > 1)
        {
            throw new AggregateException($"reconcile {what}: {errors.Count} changes failed", errors);
        }
    }

    private NetLink EnsureMtuAndState(string name, int? mtu, bool up)
    {
        var link = Netlink.GetLink(name);
        if (mtu is int value && link.Mtu != value)
        {
            Netlink.SetLinkMtu(link.Index, value);
        }

        if (link.AdminUp != up)
        {
            Netlink.SetLinkUp(link.Index, up);
        }

        return Netlink.GetLink(name);
    }
}
