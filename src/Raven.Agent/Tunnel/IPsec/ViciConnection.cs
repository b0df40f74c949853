using System.Net.Sockets;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>One stream connection to charon's VICI socket: writes and reads whole length-prefixed packets.</summary>
internal sealed class ViciConnection : IDisposable
{
    private readonly Socket socket;
    private readonly byte[] prefix = new byte[ViciPacketCodec.LengthPrefixBytes];

    private ViciConnection(Socket socket, string socketPath)
    {
        this.socket = socket;
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    public static async Task<ViciConnection> OpenAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
            return new ViciConnection(socket, socketPath);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task SendAsync(ViciPacket packet, CancellationToken cancellationToken)
    {
        var segment = ViciPacketCodec.Encode(packet);
        await socket.SendAsync(segment, SocketFlags.None, cancellationToken).ConfigureAwait(false);
    }

    /// <exception cref="IOException">charon closed the connection.</exception>
    /// <exception cref="FormatException">charon sent a malformed packet.</exception>
    public async Task<ViciPacket> ReceiveAsync(CancellationToken cancellationToken)
    {
        await ReadExactlyAsync(prefix, cancellationToken).ConfigureAwait(false);
        var payload = new byte[ViciPacketCodec.ReadLength(prefix)];
        await ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
        return ViciPacketCodec.Decode(payload);
    }

    public void Dispose() => socket.Dispose();

    private async Task ReadExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer[filled..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"charon closed the VICI connection on {SocketPath} in the middle of an exchange.");
            }

            filled += read;
        }
    }
}
