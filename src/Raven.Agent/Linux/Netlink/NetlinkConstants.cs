namespace Raven.Agent.Linux.Netlink;

// Values from linux/netlink.h, linux/rtnetlink.h, linux/if_link.h, linux/neighbour.h and linux/fib_rules.h.
// They are kernel ABI, so they never change.

internal static class NlmsgType
{
    public const ushort Noop = 1;
    public const ushort Error = 2;
    public const ushort Done = 3;
    public const ushort Overrun = 4;
}

internal static class NlmFlags
{
    public const ushort Request = 0x1;
    public const ushort Multi = 0x2;
    public const ushort Ack = 0x4;
    public const ushort DumpInterrupted = 0x10;
    public const ushort Dump = 0x300;
    public const ushort Replace = 0x100;
    public const ushort Excl = 0x200;
    public const ushort Create = 0x400;
    public const ushort Append = 0x800;

    // Flag set on NLMSG_ERROR replies that carry extended-ack attributes.
    public const ushort AckTlvs = 0x200;
    public const ushort Capped = 0x100;
}

internal static class RtmType
{
    public const ushort NewLink = 16;
    public const ushort DelLink = 17;
    public const ushort GetLink = 18;
    public const ushort NewAddr = 20;
    public const ushort DelAddr = 21;
    public const ushort GetAddr = 22;
    public const ushort NewRoute = 24;
    public const ushort DelRoute = 25;
    public const ushort GetRoute = 26;
    public const ushort NewNeigh = 28;
    public const ushort DelNeigh = 29;
    public const ushort GetNeigh = 30;
    public const ushort NewRule = 32;
    public const ushort DelRule = 33;
    public const ushort GetRule = 34;
}

internal static class LinuxAf
{
    public const byte Unspec = 0;
    public const byte Inet = 2;
    public const byte Bridge = 7;
    public const byte Inet6 = 10;
    public const int Netlink = 16;
}

internal static class Ifla
{
    public const ushort Address = 1;
    public const ushort IfName = 3;
    public const ushort Mtu = 4;
    public const ushort Link = 5;
    public const ushort Master = 10;
    public const ushort OperState = 16;
    public const ushort LinkInfo = 18;
    public const ushort Stats64 = 23;
    public const ushort Carrier = 33;

    public const ushort InfoKind = 1;
    public const ushort InfoData = 2;

    public const ushort VxlanId = 1;
    public const ushort VxlanGroup = 2;
    public const ushort VxlanLink = 3;
    public const ushort VxlanLocal = 4;
    public const ushort VxlanTtl = 5;
    public const ushort VxlanLearning = 7;
    public const ushort VxlanAgeing = 8;
    public const ushort VxlanPort = 15;
    public const ushort VxlanUdpCsum = 18;

    public const uint IffUp = 0x1;

    /// <summary>IFF_LOWER_UP: the driver signals L1 up (carrier), only reported while the device is up.</summary>
    public const uint IffLowerUp = 0x10000;
}

internal static class Ifa
{
    public const ushort Address = 1;
    public const ushort Local = 2;
    public const ushort Label = 3;
    public const ushort Broadcast = 4;
    public const ushort Flags = 8;
}

internal static class Rta
{
    public const ushort Dst = 1;
    public const ushort Src = 2;
    public const ushort Oif = 4;
    public const ushort Gateway = 5;
    public const ushort Priority = 6;
    public const ushort PrefSrc = 7;
    public const ushort Metrics = 8;
    public const ushort Table = 15;

    public const ushort RtaxMtu = 2;

    // rtm_flags bit meaning "gateway is on link even if no prefix covers it".
    public const uint FlagOnLink = 0x4;
}

internal static class Fra
{
    public const ushort Dst = 1;
    public const ushort Src = 2;
    public const ushort IifName = 3;
    public const ushort Priority = 6;
    public const ushort FwMark = 10;
    public const ushort Table = 15;
    public const ushort FwMask = 16;
    public const ushort OifName = 17;

    public const byte ActionToTable = 1;
}

internal static class Nda
{
    public const ushort Dst = 1;
    public const ushort LlAddr = 2;
    public const ushort Port = 6;
    public const ushort Vni = 7;
    public const ushort Master = 9;
}

internal static class RouteTables
{
    public const byte Unspec = 0;
    public const byte Compat = 252;
}
