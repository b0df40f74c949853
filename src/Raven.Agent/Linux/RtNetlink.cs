using System.Net.Sockets;
using Raven.Agent.Linux.Netlink;

namespace Raven.Agent.Linux;

/// <summary>
/// rtnetlink client: list and change links, addresses, routes, rules and neighbours of the network namespace the
/// socket was opened in. Every change request is counted in <see cref="ChangeRequests"/> so callers can prove that a
/// reconcile of an unchanged state sends nothing.
/// </summary>
public sealed class RtNetlink : IDisposable, ILinkReader
{
    private readonly NetlinkSocket _socket;
    private long _changeRequests;

    private RtNetlink(NetlinkSocket socket) => _socket = socket;

    /// <summary>Number of create/change/delete requests sent so far (dumps and lookups are not counted).</summary>
    public long ChangeRequests => Interlocked.Read(ref _changeRequests);

    /// <summary>Opens a socket in the calling thread's network namespace (the agent's own, in production).</summary>
    public static RtNetlink Open() => new(NetlinkSocket.Open());

    /// <summary>Opens a socket inside the named namespace (tests, lab); the process itself stays where it is.</summary>
    public static RtNetlink OpenInNamespace(string namespaceName) => NetworkNamespace.Run(namespaceName, Open);

    public IReadOnlyList<NetLink> ListLinks() => Decode(_socket.Dump(LinkCodec.Dump(), "list links"), LinkCodec.Decode);

    /// <summary>Looks a link up by name; null when it does not exist.</summary>
    public NetLink? FindLink(string name)
    {
        ValidateName(name);
        try
        {
            return Decode(_socket.Dump(LinkCodec.GetByName(name), $"get link {name}"), LinkCodec.Decode).FirstOrDefault();
        }
        catch (NetlinkException ex) when (ex.Errno == NetlinkException.ENoDev)
        {
            return null;
        }
    }

    /// <summary>Looks a link up by index (one RTM_GETLINK, no dump); null when it does not exist.</summary>
    public NetLink? FindLink(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        try
        {
            return Decode(_socket.Dump(LinkCodec.GetByIndex(index), $"get link #{index}"), LinkCodec.Decode).FirstOrDefault();
        }
        catch (NetlinkException ex) when (ex.Errno == NetlinkException.ENoDev)
        {
            return null;
        }
    }

    public NetLink GetLink(string name) => FindLink(name) ?? throw new NetlinkException($"link '{name}' does not exist");

    public void CreateVxlan(VxlanLinkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ValidateName(spec.Name);
        Change(LinkCodec.CreateVxlan(spec), $"create vxlan {spec.Name} (vni {spec.Vni}, local {spec.Local}, port {spec.Port})");
    }

    public void CreateBridge(string name, int? mtu = null)
    {
        ValidateName(name);
        Change(LinkCodec.CreateBridge(name, mtu), $"create bridge {name}");
    }

    public void SetLinkUp(int index, bool up) => Change(LinkCodec.SetUp(index, up), $"set link #{index} {(up ? "up" : "down")}");

    public void SetLinkMtu(int index, int mtu) => Change(LinkCodec.SetMtu(index, mtu), $"set link #{index} mtu {mtu}");

    public void SetLinkMaster(int index, int masterIndex) => Change(LinkCodec.SetMaster(index, masterIndex), $"set link #{index} master #{masterIndex}");

    public void DeleteLink(int index) => Change(LinkCodec.Delete(index), $"delete link #{index}");

    public IReadOnlyList<NetAddress> ListAddresses(AddressFamily family = AddressFamily.InterNetwork) =>
        Decode(_socket.Dump(AddressCodec.Dump(ToLinux(family)), "list addresses"), AddressCodec.Decode);

    public void AddAddress(NetAddress address) => Change(AddressCodec.Add(Require(address), replace: false), $"add address {address}");

    public void ReplaceAddress(NetAddress address) => Change(AddressCodec.Add(Require(address), replace: true), $"replace address {address}");

    public void DeleteAddress(NetAddress address) => Change(AddressCodec.Delete(Require(address)), $"delete address {address}");

    /// <summary>Lists routes, optionally only those of one table.</summary>
    public IReadOnlyList<NetRoute> ListRoutes(uint? table = null, AddressFamily family = AddressFamily.InterNetwork)
    {
        var routes = Decode(_socket.Dump(RouteCodec.Dump(ToLinux(family)), "list routes"), RouteCodec.Decode);
        return table is null ? routes : routes.Where(r => r.Table == table).ToList();
    }

    public void AddRoute(NetRoute route) => Change(RouteCodec.Add(Require(route), replace: false), $"add route {route}");

    public void ReplaceRoute(NetRoute route) => Change(RouteCodec.Add(Require(route), replace: true), $"replace route {route}");

    public void DeleteRoute(NetRoute route) => Change(RouteCodec.Delete(Require(route)), $"delete route {route}");

    public IReadOnlyList<NetRule> ListRules(AddressFamily family = AddressFamily.InterNetwork) =>
        Decode(_socket.Dump(RuleCodec.Dump(ToLinux(family)), "list rules"), RuleCodec.Decode);

    public void AddRule(NetRule rule) => Change(RuleCodec.Add(Require(rule)), $"add rule {rule}");

    public void DeleteRule(NetRule rule) => Change(RuleCodec.Delete(Require(rule)), $"delete rule {rule}");

    /// <summary>Lists ARP (Inet) or FDB (Bridge) entries, optionally of one interface.</summary>
    public IReadOnlyList<NetNeighbor> ListNeighbors(NeighborFamily family, int? interfaceIndex = null)
    {
        var entries = Decode(_socket.Dump(NeighborCodec.Dump(family), $"list {family} neighbours"), NeighborCodec.Decode);
        return interfaceIndex is null ? entries : entries.Where(n => n.InterfaceIndex == interfaceIndex).ToList();
    }

    public void AddNeighbor(NetNeighbor neighbor, NeighborWriteMode mode = NeighborWriteMode.Add) =>
        Change(NeighborCodec.Add(Require(neighbor), mode), $"{mode.ToString().ToLowerInvariant()} neighbour {neighbor}");

    public void DeleteNeighbor(NetNeighbor neighbor) => Change(NeighborCodec.Delete(Require(neighbor)), $"delete neighbour {neighbor}");

    public void Dispose() => _socket.Dispose();

    private static T Require<T>(T value)
        where T : class => value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>Interface names are at most 15 bytes (IFNAMSIZ - 1) and never contain '/', ':' or whitespace.</summary>
    public static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || System.Text.Encoding.UTF8.GetByteCount(name) > 15 || name is "." or ".." ||
            name.Any(c => c is '/' or ':' || char.IsWhiteSpace(c)))
        {
            throw new ArgumentException($"invalid interface name '{name}': 1-15 bytes without '/', ':' or spaces", nameof(name));
        }
    }

    private static byte ToLinux(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => LinuxAf.Inet,
        AddressFamily.InterNetworkV6 => LinuxAf.Inet6,
        AddressFamily.Unspecified => LinuxAf.Unspec,
        _ => throw new ArgumentException($"unsupported address family {family}", nameof(family)),
    };

    private static List<T> Decode<T>(List<NetlinkMessage> messages, Func<NetlinkMessage, T?> decode)
        where T : class
    {
        var items = new List<T>(messages.Count);
        foreach (var message in messages)
        {
            if (decode(message) is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }

    private void Change(NetlinkMessageBuilder request, string operation)
    {
        Interlocked.Increment(ref _changeRequests);
        _socket.Execute(request, operation);
    }
}
