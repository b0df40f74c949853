using System.Buffers.Binary;

namespace Raven.Agent.Linux.Netlink;

/// <summary>RTM_*NEIGH requests and replies, for ARP entries and bridge/VXLAN FDB entries.</summary>
internal static class NeighborCodec
{
    public static NetlinkMessageBuilder Dump(NeighborFamily family) =>
        new NetlinkMessageBuilder(RtmType.GetNeigh, NlmFlags.Request | NlmFlags.Dump).AddHeader(FixedHeaders.NdMsg((byte)family, 0, 0, 0));

    /// <summary>Add (fails if present), replace (create or overwrite) or append (another remote for the same MAC on VXLAN).</summary>
    public static NetlinkMessageBuilder Add(NetNeighbor neighbor, NeighborWriteMode mode)
    {
        ushort modeFlags = mode switch
        {
            NeighborWriteMode.Replace => NlmFlags.Replace,
            NeighborWriteMode.Append => NlmFlags.Append,
            _ => NlmFlags.Excl,
        };
        return Encode(RtmType.NewNeigh, (ushort)(NlmFlags.Request | NlmFlags.Ack | NlmFlags.Create | modeFlags), neighbor);
    }

    public static NetlinkMessageBuilder Delete(NetNeighbor neighbor) => Encode(RtmType.DelNeigh, NlmFlags.Request | NlmFlags.Ack, neighbor);

    public static NetNeighbor? Decode(NetlinkMessage message)
    {
        if (message.Type != RtmType.NewNeigh)
        {
            return null;
        }

        ReadOnlySpan<byte> header = message.Payload.Span;
        FixedHeaders.RequireLength(header, FixedHeaders.NdMsgLength, "ndmsg");
        var attributes = NetlinkAttributes.Parse(message.Payload[FixedHeaders.NdMsgLength..]);
        ReadOnlyMemory<byte>? lladdr = attributes.Bytes(Nda.LlAddr);
        return new NetNeighbor(
            (NeighborFamily)header[0],
            BinaryPrimitives.ReadInt32LittleEndian(header[4..]),
            attributes.Address(Nda.Dst),
            lladdr is { Length: 6 } mac ? MacAddress.FromBytes(mac.Span) : null)
        {
            State = (NeighborState)BinaryPrimitives.ReadUInt16LittleEndian(header[8..]),
            Flags = (NeighborFlags)header[10],
            Port = attributes.U16NetworkOrder(Nda.Port),
        };
    }

    private static NetlinkMessageBuilder Encode(ushort type, ushort flags, NetNeighbor neighbor)
    {
        var builder = new NetlinkMessageBuilder(type, flags)
            .AddHeader(FixedHeaders.NdMsg((byte)neighbor.Family, neighbor.InterfaceIndex, (ushort)neighbor.State, (byte)neighbor.Flags));
        if (neighbor.Destination is not null)
        {
            builder.AddAddress(Nda.Dst, neighbor.Destination);
        }

        if (neighbor.Mac is MacAddress mac)
        {
            builder.AddAttribute(Nda.LlAddr, mac.GetBytes());
        }

        if (neighbor.Port is { } port)
        {
            builder.AddU16NetworkOrder(Nda.Port, port);
        }

        return builder;
    }
}
