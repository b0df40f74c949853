using System.Net;
using System.Net.Sockets;

namespace Raven.Bench.Proxy;

internal sealed class DirectPath : IPath
{
    public string Name => "direct TCP";

    public async Task<Stream> OpenAsync(DnsEndPoint target)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(IPAddress.Parse(target.Host), target.Port);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task CompleteWritesAsync(Stream stream)
    {
        ((NetworkStream)stream).Socket.Shutdown(SocketShutdown.Send);
        return Task.CompletedTask;
    }
}
