using System.Buffers.Binary;

namespace Raven.Agent.Linux.Netlink;

/// <summary>RTM_*LINK requests and replies.</summary>
internal static class LinkCodec
{
    public static NetlinkMessageBuilder Dump() =>
        new NetlinkMessageBuilder(RtmType.GetLink, NlmFlags.Request | NlmFlags.Dump).AddHeader(FixedHeaders.IfInfo(LinuxAf.Unspec, 0));

    public static NetlinkMessageBuilder GetByName(string name) =>
        new NetlinkMessageBuilder(RtmType.GetLink, NlmFlags.Request | NlmFlags.Ack)
            .AddHeader(FixedHeaders.IfInfo(LinuxAf.Unspec, 0))
            .AddString(Ifla.IfName, name);

    /// <summary>RTM_GETLINK of one index (ENODEV when there is no such link).</summary>
    public static NetlinkMessageBuilder GetByIndex(int index) =>
        new NetlinkMessageBuilder(RtmType.GetLink, NlmFlags.Request | NlmFlags.Ack).AddHeader(FixedHeaders.IfInfo(LinuxAf.Unspec, index));

    public static NetlinkMessageBuilder CreateVxlan(VxlanLinkSpec spec)
    {
        var builder = NewLink(spec.Name, spec.Mtu, spec.Mac);
        int info = builder.BeginNested(Ifla.LinkInfo);
        builder.AddString(Ifla.InfoKind, "vxlan");
        int data = builder.BeginNested(Ifla.InfoData);
        builder.AddU32(Ifla.VxlanId, spec.Vni);
        if (spec.Remote is not null)
        {
            builder.AddAddress(Ifla.VxlanGroup, spec.Remote);
        }

        if (spec.ParentIndex is int parent)
        {
            builder.AddU32(Ifla.VxlanLink, (uint)parent);
        }

        if (spec.Local is not null)
        {
            builder.AddAddress(Ifla.VxlanLocal, spec.Local);
        }

        builder.AddU8(Ifla.VxlanLearning, spec.Learning ? (byte)1 : (byte)0);
        builder.AddU16NetworkOrder(Ifla.VxlanPort, spec.Port);
        if (spec.UdpChecksum is bool checksum)
        {
            builder.AddU8(Ifla.VxlanUdpCsum, checksum ? (byte)1 : (byte)0);
        }

        builder.EndNested(data);
        return builder.EndNested(info);
    }

    public static NetlinkMessageBuilder CreateBridge(string name, int? mtu)
    {
        var builder = NewLink(name, mtu, null);
        int info = builder.BeginNested(Ifla.LinkInfo);
        builder.AddString(Ifla.InfoKind, "bridge");
        return builder.EndNested(info);
    }

    public static NetlinkMessageBuilder SetUp(int index, bool up) =>
        new NetlinkMessageBuilder(RtmType.NewLink, NlmFlags.Request | NlmFlags.Ack)
            .AddHeader(FixedHeaders.IfInfo(LinuxAf.Unspec, index, up ? Ifla.IffUp : 0, Ifla.IffUp));

    public static NetlinkMessageBuilder SetMtu(int index, int mtu) =>
        new NetlinkMessageBuilder(RtmType.NewLink, NlmFlags.Request | NlmFlags.Ack)
            .AddHeader(FixedHeaders.IfInfo(LinuxAf.Unspec, index))
            .AddU32(Ifla.Mtu, (uint)mtu);

    public static NetlinkMessageBuilder SetMaster(int index, int masterIndex) =>
        new NetlinkMessageBuilder(RtmType.NewLink, NlmFlags.Request | NlmFlags.Ack)
            .AddHeader(FixedHeaders.IfInfo(LinuxAf.Unspec, index))
            .AddU32(Ifla.Master, (uint)masterIndex);

    public static NetlinkMessageBuilder Delete(int index) =>
        new NetlinkMessageBuilder(RtmType.DelLink, NlmFlags.Request | NlmFlags.Ack)
            .AddHeader(FixedHeaders.IfInfo(LinuxAf.Unspec, index));

    public static NetLink? Decode(NetlinkMessage message)
    {
        if (message.Type != RtmType.NewLink)
        {
            return null;
        }

        ReadOnlySpan<byte> payload = message.Payload.Span;
        FixedHeaders.RequireLength(payload, FixedHeaders.IfInfoLength, "ifinfomsg");
        int index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]);
        var attributes = NetlinkAttributes.Parse(message.Payload[FixedHeaders.IfInfoLength..]);
        var linkInfo = attributes.Nested(Ifla.LinkInfo);
        string? kind = linkInfo?.String(Ifla.InfoKind);
        ReadOnlyMemory<byte>? mac = attributes.Bytes(Ifla.Address);
        return new NetLink(index, attributes.String(Ifla.IfName) ?? "", kind, (int)(attributes.U32(Ifla.Mtu) ?? 0), (flags & Ifla.IffUp) != 0)
        {
            Mac = mac is { Length: 6 } bytes ? MacAddress.FromBytes(bytes.Span) : null,
            MasterIndex = (int?)attributes.U32(Ifla.Master),
            Vxlan = kind == "vxlan" && linkInfo?.Nested(Ifla.InfoData) is { } data ? DecodeVxlan(data) : null,
            Stats = attributes.Bytes(Ifla.Stats64) is { Length: >= 32 } stats ? DecodeStats(stats.Span) : null,
            LowerUp = (flags & Ifla.IffLowerUp) != 0,
            Carrier = attributes.U8(Ifla.Carrier) is { } carrier ? carrier != 0 : null,
            OperState = attributes.U8(Ifla.OperState) is { } state ? (LinkOperState)state : null,
        };
    }

    /// <summary>rx_packets, tx_packets, rx_bytes, tx_bytes: the leading u64s of rtnl_link_stats64.</summary>
    private static LinkStats DecodeStats(ReadOnlySpan<byte> stats) => new(
        (long)BinaryPrimitives.ReadUInt64LittleEndian(stats),
        (long)BinaryPrimitives.ReadUInt64LittleEndian(stats[8..]),
        (long)BinaryPrimitives.ReadUInt64LittleEndian(stats[16..]),
        (long)BinaryPrimitives.ReadUInt64LittleEndian(stats[24..]));

    private static VxlanAttributes DecodeVxlan(NetlinkAttributes data)
    {
        uint? parent = data.U32(Ifla.VxlanLink);
        return new VxlanAttributes(
            data.U32(Ifla.VxlanId) ?? 0,
            data.Address(Ifla.VxlanLocal),
            data.Address(Ifla.VxlanGroup),
            parent is null or 0 ? null : (int)parent.Value,
            data.U16NetworkOrder(Ifla.VxlanPort) ?? 0,
            (data.U8(Ifla.VxlanLearning) ?? 0) != 0)
        {
            UdpChecksum = data.U8(Ifla.VxlanUdpCsum) is { } checksum ? checksum != 0 : null,
        };
    }

    private static NetlinkMessageBuilder NewLink(string name, int? mtu, MacAddress? mac)
    {
        var builder = new NetlinkMessageBuilder(RtmType.NewLink, NlmFlags.Request | NlmFlags.Ack | NlmFlags.Create | NlmFlags.Excl)
            .AddHeader(FixedHeaders.IfInfo(LinuxAf.Unspec, 0))
            .AddString(Ifla.IfName, name);
        if (mtu is int value)
        {
            builder.AddU32(Ifla.Mtu, (uint)value);
        }

        if (mac is MacAddress address)
        {
            builder.AddAttribute(Ifla.Address, address.GetBytes());
        }

        return builder;
    }
}
