using System.Net;
using System.Net.Sockets;

namespace Raven.Agent.Nat;

/// <summary>A plain UDP socket bound to the local port (0 for an ephemeral one).</summary>
public sealed class UdpStunTransport : IStunTransport
{
    private readonly Socket socket;
    private readonly byte[] buffer = new byte[2048];

    private UdpStunTransport(Socket socket, IPEndPoint localEndpoint)
    {
        this.socket = socket;
        LocalEndpoint = localEndpoint;
    }

    public IPEndPoint LocalEndpoint { get; }

    public StunTransportMode Mode => StunTransportMode.Plain;

    /// <summary>Binds <paramref name="localPort"/> on the address the kernel would use towards <paramref name="responder"/>.</summary>
    /// <exception cref="SocketException">The port is taken (AddressAlreadyInUse) or cannot be bound.</exception>
    public static UdpStunTransport Open(int localPort, IPAddress responder)
    {
        ArgumentNullException.ThrowIfNull(responder);
        var source = LocalRoute.SourceAddressTowards(responder);
        var socket = new Socket(responder.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(responder.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, localPort));
            int port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            return new UdpStunTransport(socket, new IPEndPoint(source, port));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken) =>
        await socket.SendToAsync(payload, SocketFlags.None, destination, cancellationToken).ConfigureAwait(false);

    public async ValueTask<StunDatagram> ReceiveAsync(CancellationToken cancellationToken)
    {
        EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (true)
        {
            try
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
                return new StunDatagram(buffer.AsMemory(0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize)
            {
                // An ICMP error for an earlier datagram or an oversized one: not an answer, keep listening.
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The kernel's choice of source address towards a destination (a connected UDP socket sends nothing).</summary>
public static class LocalRoute
{
    public static IPAddress SourceAddressTowards(IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var probe = new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        probe.Connect(new IPEndPoint(destination, 9));
        return ((IPEndPoint)probe.LocalEndPoint!).Address;
    }
}
