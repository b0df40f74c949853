using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Raven.Agent.Linux.Netlink;

/// <summary>RTM_*ADDR requests and replies.</summary>
internal static class AddressCodec
{
    public static NetlinkMessageBuilder Dump(byte family) =>
        new NetlinkMessageBuilder(RtmType.GetAddr, NlmFlags.Request | NlmFlags.Dump).AddHeader(FixedHeaders.IfAddr(family, 0, 0, 0));

    public static NetlinkMessageBuilder Add(NetAddress address, bool replace) =>
        Encode(RtmType.NewAddr, (ushort)(NlmFlags.Request | NlmFlags.Ack | NlmFlags.Create | (replace ? NlmFlags.Replace : NlmFlags.Excl)), address);

    public static NetlinkMessageBuilder Delete(NetAddress address) => Encode(RtmType.DelAddr, NlmFlags.Request | NlmFlags.Ack, address);

    public static NetAddress? Decode(NetlinkMessage message)
    {
        if (message.Type != RtmType.NewAddr)
        {
            return null;
        }

        ReadOnlySpan<byte> payload = message.Payload.Span;
        FixedHeaders.RequireLength(payload, FixedHeaders.IfAddrLength, "ifaddrmsg");
        var attributes = NetlinkAttributes.Parse(message.Payload[FixedHeaders.IfAddrLength..]);

        // On point-to-point links IFA_ADDRESS is the peer; IFA_LOCAL is always the local address when present.
        IPAddress? address = attributes.Address(Ifa.Local) ?? attributes.Address(Ifa.Address);
        if (address is null)
        {
            return null;
        }

        return new NetAddress(BinaryPrimitives.ReadInt32LittleEndian(payload[4..]), address, payload[1])
        {
            Scope = (RouteScope)payload[3],
            Label = attributes.String(Ifa.Label),
        };
    }

    private static NetlinkMessageBuilder Encode(ushort type, ushort flags, NetAddress address)
    {
        byte family = address.Address.AddressFamily == AddressFamily.InterNetworkV6 ? LinuxAf.Inet6 : LinuxAf.Inet;
        return new NetlinkMessageBuilder(type, flags)
            .AddHeader(FixedHeaders.IfAddr(family, (byte)address.PrefixLength, (byte)address.Scope, address.InterfaceIndex))
            .AddAddress(Ifa.Local, address.Address)
            .AddAddress(Ifa.Address, address.Address);
    }
}
