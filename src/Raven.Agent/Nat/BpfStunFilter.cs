namespace Raven.Agent.Nat;

/// <summary>One classic BPF instruction (struct sock_filter).</summary>
public readonly record struct BpfInstruction(ushort Code, byte JumpTrue, byte JumpFalse, uint K);

/// <summary>
/// Pure: the classic BPF program attached to the raw transport's socket. A raw IPPROTO_UDP socket gets a copy of
/// every UDP datagram the host receives (all the tunnel's traffic included); the kernel runs this filter on the IPv4
/// packet and queues only unfragmented UDP to the tunnel port whose payload carries the STUN magic cookie, so the
/// agent never copies tunnel traffic. The transport still checks everything itself.
/// </summary>
public static class BpfStunFilter
{
    public const ushort LoadWordAbsolute = 0x20;
    public const ushort LoadHalfAbsolute = 0x28;
    public const ushort LoadByteAbsolute = 0x30;
    public const ushort LoadWordIndirect = 0x40;
    public const ushort LoadHalfIndirect = 0x48;
    public const ushort LoadIpHeaderLengthToX = 0xB1;
    public const ushort JumpIfEqual = 0x15;
    public const ushort JumpIfAnyBitSet = 0x45;
    public const ushort Return = 0x06;

    /// <summary>Accept the whole packet; the kernel truncates to the socket's buffer anyway.</summary>
    public const uint AcceptAll = 0x40000;

    public static IReadOnlyList<BpfInstruction> For(int localPort)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(localPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(localPort, 65535);
        return
        [
            new(LoadByteAbsolute, 0, 0, 9),                         // 0: A = IP protocol
            new(JumpIfEqual, 0, 8, 17),                             // 1: UDP? else drop (10)
            new(LoadHalfAbsolute, 0, 0, 6),                         // 2: A = flags + fragment offset
            new(JumpIfAnyBitSet, 6, 0, 0x3FFF),                     // 3: a fragment (MF or offset)? drop
            new(LoadIpHeaderLengthToX, 0, 0, 0),                    // 4: X = IP header length
            new(LoadHalfIndirect, 0, 0, 2),                         // 5: A = UDP destination port
            new(JumpIfEqual, 0, 3, (uint)localPort),                // 6: the tunnel port? else drop
            new(LoadWordIndirect, 0, 0, RawUdpPacket.UdpHeaderLength + 4), // 7: A = STUN magic cookie position
            new(JumpIfEqual, 0, 1, Stun.StunConstants.MagicCookie), // 8: STUN? else drop
            new(Return, 0, 0, AcceptAll),                           // 9: accept
            new(Return, 0, 0, 0),                                   // 10: drop
        ];
    }
}
