using System.Net;
using System.Net.Sockets;

namespace Raven.Agent.Linux.Netlink;

/// <summary>RTM_*RULE requests and replies (fib_rule_hdr + FRA_* attributes).</summary>
internal static class RuleCodec
{
    public static NetlinkMessageBuilder Dump(byte family) =>
        new NetlinkMessageBuilder(RtmType.GetRule, NlmFlags.Request | NlmFlags.Dump).AddHeader(FixedHeaders.RtMsg(family, 0, 0, 0, 0, 0, 0));

    public static NetlinkMessageBuilder Add(NetRule rule) =>
        Encode(RtmType.NewRule, NlmFlags.Request | NlmFlags.Ack | NlmFlags.Create | NlmFlags.Excl, rule);

    public static NetlinkMessageBuilder Delete(NetRule rule) => Encode(RtmType.DelRule, NlmFlags.Request | NlmFlags.Ack, rule);

    public static NetRule? Decode(NetlinkMessage message)
    {
        if (message.Type != RtmType.NewRule)
        {
            return null;
        }

        ReadOnlySpan<byte> header = message.Payload.Span;
        FixedHeaders.RequireLength(header, FixedHeaders.FibRuleLength, "fib_rule_hdr");
        if (header[0] is not (LinuxAf.Inet or LinuxAf.Inet6))
        {
            return null;
        }

        var attributes = NetlinkAttributes.Parse(message.Payload[FixedHeaders.FibRuleLength..]);
        return new NetRule(attributes.U32(Fra.Priority) ?? 0, attributes.U32(Fra.Table) ?? header[4])
        {
            Source = Prefix(attributes.Address(Fra.Src), header[2]),
            Destination = Prefix(attributes.Address(Fra.Dst), header[1]),
            FwMark = attributes.U32(Fra.FwMark),
            FwMask = attributes.U32(Fra.FwMask),
            InputInterface = attributes.String(Fra.IifName),
            OutputInterface = attributes.String(Fra.OifName),
        };
    }

    private static IPNetwork? Prefix(IPAddress? address, byte length) => address is null ? null : new IPNetwork(address, length);

    private static NetlinkMessageBuilder Encode(ushort type, ushort flags, NetRule rule)
    {
        bool v6 = rule.Source?.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6 ||
                  rule.Destination?.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;
        byte headerTable = rule.Table < 256 ? (byte)rule.Table : RouteTables.Unspec;
        var builder = new NetlinkMessageBuilder(type, flags).AddHeader(FixedHeaders.RtMsg(
            v6 ? LinuxAf.Inet6 : LinuxAf.Inet,
            (byte)(rule.Destination?.PrefixLength ?? 0),
            headerTable,
            protocol: 0,
            scope: 0,
            type: Fra.ActionToTable,
            flags: 0,
            srcLength: (byte)(rule.Source?.PrefixLength ?? 0)));
        builder.AddU32(Fra.Priority, rule.Priority);
        builder.AddU32(Fra.Table, rule.Table);
        if (rule.Source is IPNetwork source)
        {
            builder.AddAddress(Fra.Src, source.BaseAddress);
        }

        if (rule.Destination is IPNetwork destination)
        {
            builder.AddAddress(Fra.Dst, destination.BaseAddress);
        }

        if (rule.FwMark is uint mark)
        {
            builder.AddU32(Fra.FwMark, mark);
        }

        if (rule.FwMask is uint mask)
        {
            builder.AddU32(Fra.FwMask, mask);
        }

        if (rule.InputInterface is not null)
        {
            builder.AddString(Fra.IifName, rule.InputInterface);
        }

        if (rule.OutputInterface is not null)
        {
            builder.AddString(Fra.OifName, rule.OutputInterface);
        }

        return builder;
    }
}
