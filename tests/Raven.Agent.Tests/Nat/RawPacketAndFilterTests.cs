using CsCheck;
using System.Buffers.Binary;
using System.Net;
using Raven.Agent.Nat;
using Raven.Agent.Nat.Stun;

namespace Raven.Agent.Tests.Nat;

public sealed class RawPacketAndFilterTests
{
    private static readonly IPAddress Edge = IPAddress.Parse("172.16.1.10");
    private static readonly IPAddress Cloud = IPAddress.Parse("203.0.113.10");

    [Fact]
    public void The_udp_header_carries_the_tunnel_port_and_a_checksum_that_verifies()
    {
        var payload = StunClient.BuildRequest(StunTransactionId.NewRandom(), StunChangeRequest.None, System.Net.Sockets.AddressFamily.InterNetwork);

        var udp = RawUdpPacket.BuildUdp(Edge, 4500, Cloud, 3478, payload);

        BinaryPrimitives.ReadUInt16BigEndian(udp).Should().Be(4500);
        BinaryPrimitives.ReadUInt16BigEndian(udp.AsSpan(2)).Should().Be(3478);
        BinaryPrimitives.ReadUInt16BigEndian(udp.AsSpan(4)).Should().Be((ushort)udp.Length);
        OnesComplementSum(PseudoHeader(Edge, Cloud, udp.Length).Concat(udp).ToArray()).Should().Be(0xFFFF, "a correct checksum makes the sum all ones");
        udp.AsSpan(8).ToArray().Should().Equal(payload);
    }

    [Fact]
    public void Parsing_accepts_only_whole_udp_datagrams_to_the_local_address_and_port()
    {
        var stun = new StunMessageBuilder(StunMessageType.BindingSuccess, StunTransactionId.NewRandom()).AddXorMappedAddress(new IPEndPoint(Edge, 4500)).ToArray();
        var good = IPv4(Cloud, Edge, RawUdpPacket.BuildUdp(Cloud, 3478, Edge, 4500, stun));

        RawUdpPacket.TryParseIPv4(good, Edge, 4500, out var source, out var range).Should().BeTrue();
        source.Should().Be(new IPEndPoint(Cloud, 3478));
        good[range].Should().Equal(stun);

        RawUdpPacket.TryParseIPv4(good, Edge, 4501, out _, out _).Should().BeFalse("another port");
        RawUdpPacket.TryParseIPv4(good, IPAddress.Parse("172.16.1.11"), 4500, out _, out _).Should().BeFalse("another local address");
        var fragment = (byte[])good.Clone();
        fragment[6] = 0x20;
        RawUdpPacket.TryParseIPv4(fragment, Edge, 4500, out _, out _).Should().BeFalse("a first fragment");
        var tcp = (byte[])good.Clone();
        tcp[9] = 6;
        RawUdpPacket.TryParseIPv4(tcp, Edge, 4500, out _, out _).Should().BeFalse("not UDP");
        RawUdpPacket.TryParseIPv4(good.AsSpan(0, 30), Edge, 4500, out _, out _).Should().BeFalse("cut short");
        Gen.Byte.Array[0, 80].Sample(bytes => { RawUdpPacket.TryParseIPv4(bytes, Edge, 4500, out _, out _); });
    }

    [Fact]
    public void The_kernel_filter_passes_stun_to_the_tunnel_port_and_nothing_else()
    {
        var program = BpfStunFilter.For(4500);
        var stun = new StunMessageBuilder(StunMessageType.BindingSuccess, StunTransactionId.NewRandom()).AddXorMappedAddress(new IPEndPoint(Edge, 4500)).ToArray();
        var wireGuard = Convert.FromHexString("04000000" + new string('a', 64));
        var withOptions = IPv4(Cloud, Edge, RawUdpPacket.BuildUdp(Cloud, 3478, Edge, 4500, stun), optionWords: 2);

        Run(program, IPv4(Cloud, Edge, RawUdpPacket.BuildUdp(Cloud, 3478, Edge, 4500, stun))).Should().BeTrue();
        Run(program, withOptions).Should().BeTrue("the UDP header is found past IP options");
        Run(program, IPv4(Cloud, Edge, RawUdpPacket.BuildUdp(Cloud, 3478, Edge, 4501, stun))).Should().BeFalse("another port");
        Run(program, IPv4(Cloud, Edge, RawUdpPacket.BuildUdp(Cloud, 4500, Edge, 4500, wireGuard))).Should().BeFalse("tunnel traffic on the port");
        var fragment = IPv4(Cloud, Edge, RawUdpPacket.BuildUdp(Cloud, 3478, Edge, 4500, stun));
        fragment[6] = 0x20;
        Run(program, fragment).Should().BeFalse("a fragment");
    }

    [Fact]
    public void Rfc5389_retransmission_schedule()
    {
        var (sends, giveUp) = StunRetransmission.Rfc5389.Schedule();

        sends.Select(s => (int)s.TotalMilliseconds).Should().Equal(0, 500, 1500, 3500, 7500, 15500, 31500);
        giveUp.Should().Be(TimeSpan.FromMilliseconds(39500));
        StunRetransmission.Probe.Schedule().GiveUp.Should().Be(TimeSpan.FromMilliseconds(5500));
        new StunRetransmission(TimeSpan.Zero, 1, 1).Problem().Should().Contain("RTO");
    }

    /// <summary>A classic BPF interpreter for the instructions the filter uses (the kernel's semantics).</summary>
    private static bool Run(IReadOnlyList<BpfInstruction> program, byte[] packet)
    {
        uint a = 0;
        uint x = 0;
        for (int pc = 0; pc < program.Count; pc++)
        {
            var i = program[pc];
            switch (i.Code)
            {
                case BpfStunFilter.LoadByteAbsolute: a = packet[i.K]; break;
                case BpfStunFilter.LoadHalfAbsolute: a = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan((int)i.K)); break;
                case BpfStunFilter.LoadWordAbsolute: a = BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan((int)i.K)); break;
                case BpfStunFilter.LoadHalfIndirect: a = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan((int)(x + i.K))); break;
                case BpfStunFilter.LoadWordIndirect: a = BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan((int)(x + i.K))); break;
                case BpfStunFilter.LoadIpHeaderLengthToX: x = (uint)((packet[i.K] & 0x0F) * 4); break;
                case BpfStunFilter.JumpIfEqual: pc += a == i.K ? i.JumpTrue : i.JumpFalse; break;
                case BpfStunFilter.JumpIfAnyBitSet: pc += (a & i.K) != 0 ? i.JumpTrue : i.JumpFalse; break;
                case BpfStunFilter.Return: return i.K != 0;
                default: throw new InvalidOperationException($"opcode 0x{i.Code:x2}");
            }
        }

        throw new InvalidOperationException("fell off the program");
    }

    private static byte[] IPv4(IPAddress source, IPAddress destination, byte[] udp, int optionWords = 0)
    {
        int header = 20 + (4 * optionWords);
        var packet = new byte[header + udp.Length];
        packet[0] = (byte)(0x40 | (header / 4));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = 17;
        source.TryWriteBytes(packet.AsSpan(12), out _);
        destination.TryWriteBytes(packet.AsSpan(16), out _);
        udp.CopyTo(packet, header);
        return packet;
    }

    private static byte[] PseudoHeader(IPAddress source, IPAddress destination, int udpLength)
    {
        var pseudo = new byte[12];
        source.TryWriteBytes(pseudo, out _);
        destination.TryWriteBytes(pseudo.AsSpan(4), out _);
        pseudo[9] = 17;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(10), (ushort)udpLength);
        return pseudo;
    }

    private static uint OnesComplementSum(byte[] bytes)
    {
        uint sum = 0;
        for (int i = 0; i < bytes.Length; i += 2)
        {
            sum += (uint)((bytes[i] << 8) | (i + 1 < bytes.Length ? bytes[i + 1] : 0));
        }

        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return sum;
    }
}
