using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Raven.Agent.Health.Probing;

/// <summary>Opens the UDP sockets of the prober and the responder, inside a named network namespace when asked.</summary>
internal static class ProbeSockets
{
    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;
    private const int SoMark = 36;
    private const int SoReusePort = 15;

    public static Socket OpenProbe(ProbeTarget target, string? networkNamespace) =>
        InNamespace(networkNamespace, () =>
        {
            var socket = new Socket(target.Destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                if (target.FwMark is { } mark)
                {
                    Span<byte> value = stackalloc byte[sizeof(uint)];
                    BinaryPrimitives.WriteUInt32LittleEndian(value, mark);
                    socket.SetRawSocketOption(SolSocket, SoMark, value);
                }

                if (target.Device is { } device)
                {
                    socket.SetRawSocketOption(SolSocket, SoBindToDevice, Encoding.ASCII.GetBytes(device + "\0"));
                }

                var any = target.Destination.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any;
                socket.Bind(new IPEndPoint(target.Source ?? any, 0));
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        });

    public static Socket OpenResponder(IPAddress address, int port, string? networkNamespace) =>
        InNamespace(networkNamespace, () =>
        {
            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                // Shared with the agent's stand-in (ProbeStandIn) across a restart: the old responder, its stand-in
                // and the next agent's responder overlap, so the port never goes unanswered. Only processes of the
                // same user (root on a node) can join the group.
                Span<byte> on = stackalloc byte[sizeof(int)];
                BinaryPrimitives.WriteInt32LittleEndian(on, 1);
                socket.SetRawSocketOption(SolSocket, SoReusePort, on);
                socket.Bind(new IPEndPoint(address, port));
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        });

    private static Socket InNamespace(string? networkNamespace, Func<Socket> open) =>
        networkNamespace is null ? open() : Linux.NetworkNamespace.Run(networkNamespace, open);
}
