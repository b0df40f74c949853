using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Raven.Bench.Proxy;

/// <summary>
/// Two TCP servers on 127.0.0.1: an echo server, and a sink that counts bytes until the peer half-closes and then
/// answers with the count (8 bytes, big endian).
/// </summary>
internal sealed class LoopbackTargets : IAsyncDisposable
{
    private readonly TcpListener _echo = new(IPAddress.Loopback, 0);
    private readonly TcpListener _sink = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptEcho;
    private readonly Task _acceptSink;

    public LoopbackTargets()
    {
        _echo.Start(4096);
        _sink.Start(16);
        _acceptEcho = AcceptAsync(_echo, EchoAsync);
        _acceptSink = AcceptAsync(_sink, SinkAsync);
    }

    public DnsEndPoint Echo => EndPoint(_echo);

    public DnsEndPoint Sink => EndPoint(_sink);

    private static DnsEndPoint EndPoint(TcpListener listener)
    {
        var ep = (IPEndPoint)listener.LocalEndpoint;
        return new DnsEndPoint(ep.Address.ToString(), ep.Port);
    }

    private async Task AcceptAsync(TcpListener listener, Func<Socket, Task> serve)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            socket.NoDelay = true;
            _ = serve(socket);
        }
    }

    private static async Task EchoAsync(Socket socket)
    {
        using var _ = socket;
        var buffer = new byte[16 * 1024];
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
        }
    }

    private static async Task SinkAsync(Socket socket)
    {
        using var _ = socket;
        var buffer = new byte[256 * 1024];
        long total = 0;
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer)) > 0)
            {
                total += read;
            }

            var answer = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(answer, total);
            await socket.SendAsync(answer);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _echo.Stop();
        _sink.Stop();
        await Task.WhenAll(_acceptEcho, _acceptSink);
        _stop.Dispose();
    }
}
