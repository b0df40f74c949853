using System.Net;
using System.Net.Sockets;

namespace Raven.Agent.Tests.Proxy;

/// <summary>A TCP echo server on loopback: echoes until the peer half-closes, then closes its side.</summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    public EchoServer(IPAddress? address = null)
    {
        _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        _listener.Start(1000);
        _accept = AcceptAsync();
    }

    public DnsEndPoint EndPoint
    {
        get
        {
            var ep = (IPEndPoint)_listener.LocalEndpoint;
            return new DnsEndPoint(ep.Address.ToString(), ep.Port);
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = EchoAsync(socket);
        }
    }

    private static async Task EchoAsync(Socket socket)
    {
        using var _ = socket;
        var buffer = new byte[32 * 1024];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer)) > 0)
            {
                await socket.SendAsync(buffer.AsMemory(0, read));
            }

            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // Peer reset: that is what the cancellation test does.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        _stop.Dispose();
    }
}
