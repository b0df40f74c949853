using System.Net.Sockets;

namespace Raven.Kube.Client.Http;

/// <summary>Points the official client's SocketsHttpHandler at a Unix socket: every connection opens the socket instead of TCP.</summary>
public static class UnixSocketConnector
{
    public static void Configure(SocketsHttpHandler handler, string socketPath)
    {
        ArgumentNullException.ThrowIfNull(handler);
        handler.ConnectCallback = (_, cancellationToken) => ConnectAsync(socketPath, cancellationToken);
    }

    private static async ValueTask<Stream> ConnectAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
