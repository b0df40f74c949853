using System.Globalization;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>Reads charon's VICI trees (list-sa, list-conn, ike-updown, child-updown) into typed records.</summary>
public static class CharonParser
{
    /// <summary>Every IKE SA of a list-sas stream; each event holds one section per SA, keyed by connection name.</summary>
    public static IReadOnlyList<IkeSa> ParseSas(IEnumerable<ViciSection> listSaEvents)
    {
        ArgumentNullException.ThrowIfNull(listSaEvents);
        return listSaEvents.SelectMany(e => e.Sections()).Select(s => ParseIkeSa(s.Key, s.Value)).ToList();
    }

    /// <summary>The SA an ike-updown or child-updown event is about, and whether it came up.</summary>
    public static (bool Up, IkeSa Sa) ParseUpDown(ViciSection updownEvent)
    {
        ArgumentNullException.ThrowIfNull(updownEvent);
        var (name, section) = updownEvent.Sections().FirstOrDefault();
        if (section is null)
        {
            throw new FormatException("VICI up/down event without an SA section.");
        }

        return (updownEvent.Text("up") == "yes", ParseIkeSa(name, section));
    }

    public static IReadOnlyList<LoadedConnection> ParseConns(IEnumerable<ViciSection> listConnEvents)
    {
        ArgumentNullException.ThrowIfNull(listConnEvents);
        return listConnEvents.SelectMany(e => e.Sections()).Select(s => ParseConn(s.Key, s.Value)).ToList();
    }

    public static IkeSa ParseIkeSa(string connection, ViciSection sa)
    {
        ArgumentNullException.ThrowIfNull(sa);
        var children = sa.Section("child-sas")?.Sections().Select(c => ParseChildSa(c.Key, c.Value)).ToList() ?? [];
        return new IkeSa
        {
            Connection = connection,
            UniqueId = RequiredUInt(sa, "uniqueid", connection),
            State = sa.Text("state") ?? throw Missing("state", connection),
            LocalHost = sa.Text("local-host"),
            LocalPort = OptionalInt(sa, "local-port", connection),
            LocalId = sa.Text("local-id"),
            RemoteHost = sa.Text("remote-host"),
            RemotePort = OptionalInt(sa, "remote-port", connection),
            RemoteId = sa.Text("remote-id"),
            Initiator = sa.Text("initiator") == "yes",
            NatLocal = sa.Text("nat-local") == "yes",
            NatRemote = sa.Text("nat-remote") == "yes",
            EstablishedSeconds = OptionalLong(sa, "established", connection),
            Children = children,
        };
    }

    private static ChildSa ParseChildSa(string key, ViciSection child)
    {
        // 5.9 keys the section "<name>-<uniqueid>" and adds the plain name; older versions used the name as key.
        var name = child.Text("name") ?? key;
        var where = $"child SA {key}";
        return new ChildSa
        {
            Name = name,
            UniqueId = RequiredUInt(child, "uniqueid", where),
            ReqId = (uint)(OptionalLong(child, "reqid", where) ?? 0),
            State = child.Text("state") ?? throw Missing("state", where),
            Encapsulated = child.Text("encap") == "yes",
            BytesIn = OptionalLong(child, "bytes-in", where) ?? 0,
            PacketsIn = OptionalLong(child, "packets-in", where) ?? 0,
            BytesOut = OptionalLong(child, "bytes-out", where) ?? 0,
            PacketsOut = OptionalLong(child, "packets-out", where) ?? 0,
            InstalledSeconds = OptionalLong(child, "install-time", where),
            LocalTrafficSelectors = child.Texts("local-ts"),
            RemoteTrafficSelectors = child.Texts("remote-ts"),
        };
    }

    private static LoadedConnection ParseConn(string name, ViciSection conn)
    {
        // Auth rounds come back as local-1, local-2, …; Raven loads one of each.
        var local = conn.Sections().FirstOrDefault(s => s.Key.StartsWith("local", StringComparison.Ordinal)).Value;
        var remote = conn.Sections().FirstOrDefault(s => s.Key.StartsWith("remote", StringComparison.Ordinal)).Value;
        var children = conn.Section("children")?.Sections()
            .Select(c => new LoadedChild(c.Key, c.Value.Texts("local-ts"), c.Value.Texts("remote-ts")))
            .ToList() ?? [];
        return new LoadedConnection
        {
            Name = name,
            LocalAddresses = conn.Texts("local_addrs"),
            RemoteAddresses = conn.Texts("remote_addrs"),
            Version = conn.Text("version"),
            DpdDelaySeconds = OptionalLong(conn, "dpd_delay", name),
            LocalId = local?.Text("id"),
            RemoteId = remote?.Text("id"),
            Children = children,
        };
    }

    private static uint RequiredUInt(ViciSection section, string key, string where) =>
        uint.TryParse(section.Text(key) ?? throw Missing(key, where), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"charon's {key} of {where} is not a number: \"{section.Text(key)}\".");

    private static int? OptionalInt(ViciSection section, string key, string where) =>
        OptionalLong(section, key, where) is { } value ? checked((int)value) : null;

    private static long? OptionalLong(ViciSection section, string key, string where)
    {
        var text = section.Text(key);
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"charon's {key} of {where} is not a number: \"{text}\".");
    }

    private static FormatException Missing(string key, string where) => new($"charon sent {where} without {key}.");
}
