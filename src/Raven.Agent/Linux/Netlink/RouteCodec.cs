using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Raven.Agent.Linux.Netlink;

/// <summary>RTM_*ROUTE requests and replies.</summary>
internal static class RouteCodec
{
    public static NetlinkMessageBuilder Dump(byte family) =>
        new NetlinkMessageBuilder(RtmType.GetRoute, NlmFlags.Request | NlmFlags.Dump).AddHeader(FixedHeaders.RtMsg(family, 0, 0, 0, 0, 0, 0));

    public static NetlinkMessageBuilder Add(NetRoute route, bool replace) =>
        Encode(RtmType.NewRoute, (ushort)(NlmFlags.Request | NlmFlags.Ack | NlmFlags.Create | (replace ? NlmFlags.Replace : NlmFlags.Excl)), route, forDelete: false);

    public static NetlinkMessageBuilder Delete(NetRoute route) => Encode(RtmType.DelRoute, NlmFlags.Request | NlmFlags.Ack, route, forDelete: true);

    public static NetRoute? Decode(NetlinkMessage message)
    {
        if (message.Type != RtmType.NewRoute)
        {
            return null;
        }

        ReadOnlySpan<byte> header = message.Payload.Span;
        FixedHeaders.RequireLength(header, FixedHeaders.RtMsgLength, "rtmsg");
        byte family = header[0];
        if (family is not (LinuxAf.Inet or LinuxAf.Inet6))
        {
            return null;
        }

        var attributes = NetlinkAttributes.Parse(message.Payload[FixedHeaders.RtMsgLength..]);
        IPAddress any = family == LinuxAf.Inet ? IPAddress.Any : IPAddress.IPv6Any;
        IPAddress destination = attributes.Address(Rta.Dst) ?? any;
        uint? oif = attributes.U32(Rta.Oif);
        uint? mtu = attributes.Nested(Rta.Metrics)?.U32(Rta.RtaxMtu);
        return new NetRoute(new IPNetwork(destination, header[1]))
        {
            Table = attributes.U32(Rta.Table) ?? header[4],
            Protocol = header[5],
            Scope = (RouteScope)header[6],
            Type = (RouteType)header[7],
            OnLink = (BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) & Rta.FlagOnLink) != 0,
            Gateway = attributes.Address(Rta.Gateway),
            OutputInterface = oif is null ? null : (int)oif.Value,
            PreferredSource = attributes.Address(Rta.PrefSrc),
            Metric = attributes.U32(Rta.Priority) ?? 0,
            Mtu = mtu is null ? null : (int)mtu.Value,
        };
    }

    private static NetlinkMessageBuilder Encode(ushort type, ushort flags, NetRoute route, bool forDelete)
    {
        byte family = route.Destination.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6 ? LinuxAf.Inet6 : LinuxAf.Inet;
        byte headerTable = route.Table < 256 ? (byte)route.Table : RouteTables.Unspec;

        // A delete matches any scope, protocol and type unless told otherwise, like "ip route del".
        byte protocol = forDelete ? (byte)0 : route.Protocol;
        byte scope = forDelete ? (byte)RouteScope.Nowhere : (byte)route.Scope;
        byte routeType = forDelete ? (byte)0 : (byte)route.Type;
        uint rtFlags = route.OnLink && !forDelete ? Rta.FlagOnLink : 0;

        var builder = new NetlinkMessageBuilder(type, flags)
            .AddHeader(FixedHeaders.RtMsg(family, (byte)route.Destination.PrefixLength, headerTable, protocol, scope, routeType, rtFlags));
        if (route.Destination.PrefixLength > 0)
        {
            builder.AddAddress(Rta.Dst, route.Destination.BaseAddress);
        }

        builder.AddU32(Rta.Table, route.Table);
        if (route.Gateway is not null)
        {
            builder.AddAddress(Rta.Gateway, route.Gateway);
        }

        if (route.OutputInterface is int oif)
        {
            builder.AddU32(Rta.Oif, (uint)oif);
        }

        if (route.PreferredSource is not null && !forDelete)
        {
            builder.AddAddress(Rta.PrefSrc, route.PreferredSource);
        }

        if (route.Metric != 0)
        {
            builder.AddU32(Rta.Priority, route.Metric);
        }

        if (route.Mtu is int mtu && !forDelete)
        {
            int metrics = builder.BeginNested(Rta.Metrics);
            builder.AddU32(Rta.RtaxMtu, (uint)mtu);
            builder.EndNested(metrics);
        }

        return builder;
    }
}
