using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Raven.Agent.Nat;

/// <summary>
/// Sends STUN from a UDP port another process owns and reads the answers, so the public port learned is the
/// tunnel's own. wireguard-go and charon hold the tunnel port's socket (without SO_REUSEPORT, and sharing it would
/// split the tunnel's traffic anyway), so: an AF_INET SOCK_RAW IPPROTO_UDP socket bound to the route's source
/// address sends datagrams whose UDP header carries the tunnel port as source (the kernel adds the IPv4 header),
/// and receives a copy of inbound UDP, narrowed by <see cref="BpfStunFilter"/>. The tunnel daemon gets the answer
/// too and drops it: WireGuard ignores messages of unknown type (STUN's first word is no WireGuard type), and on
/// the NAT-T port a non-zero first word means ESP, whose SPI matches no SA. Needs CAP_NET_RAW; IPv4 only.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class RawUdpStunTransport : IStunTransport
{
    private const int SolSocket = 1;
    private const int SoAttachFilter = 26;
    private readonly Socket socket;
    private readonly byte[] buffer = new byte[2048];

    private RawUdpStunTransport(Socket socket, IPEndPoint localEndpoint)
    {
        this.socket = socket;
        LocalEndpoint = localEndpoint;
    }

    public IPEndPoint LocalEndpoint { get; }

    public StunTransportMode Mode => StunTransportMode.Raw;

    /// <exception cref="SocketException">No CAP_NET_RAW (AccessDenied), or the socket cannot be made.</exception>
    public static RawUdpStunTransport Open(int localPort, IPAddress responder)
    {
        ArgumentNullException.ThrowIfNull(responder);
        if (responder.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{responder}: sending from the tunnel port is implemented for IPv4 only", nameof(responder));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(localPort);
        var source = LocalRoute.SourceAddressTowards(responder);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Udp);
        try
        {
            AttachFilter(socket, BpfStunFilter.For(localPort));
            socket.Bind(new IPEndPoint(source, 0));
            return new RawUdpStunTransport(socket, new IPEndPoint(source, localPort));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var datagram = RawUdpPacket.BuildUdp(LocalEndpoint.Address, LocalEndpoint.Port, destination.Address, destination.Port, payload.Span);
        await socket.SendToAsync(datagram, SocketFlags.None, new IPEndPoint(destination.Address, 0), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<StunDatagram> ReceiveAsync(CancellationToken cancellationToken)
    {
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            if (RawUdpPacket.TryParseIPv4(buffer.AsSpan(0, received.ReceivedBytes), LocalEndpoint.Address, LocalEndpoint.Port, out var source, out var payload))
            {
                return new StunDatagram(buffer.AsMemory()[payload], source!);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>SO_ATTACH_FILTER with a struct sock_fprog { u16 len; struct sock_filter *filter; }.</summary>
    private static unsafe void AttachFilter(Socket socket, IReadOnlyList<BpfInstruction> program)
    {
        var instructions = new ulong[program.Count];
        for (int i = 0; i < program.Count; i++)
        {
            var p = program[i];
            instructions[i] = p.Code | ((ulong)p.JumpTrue << 16) | ((ulong)p.JumpFalse << 24) | ((ulong)p.K << 32);
        }

        fixed (ulong* filter = instructions)
        {
            Span<byte> fprog = stackalloc byte[2 * sizeof(nint)];
            fprog.Clear();
            MemoryMarshal.Write(fprog, (ushort)instructions.Length);
            MemoryMarshal.Write(fprog[sizeof(nint)..], (nint)filter);
            socket.SetRawSocketOption(SolSocket, SoAttachFilter, fprog);
        }
    }
}
