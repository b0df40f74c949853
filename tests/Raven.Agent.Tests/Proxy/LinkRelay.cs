using System.Net;
using System.Net.Sockets;

namespace Raven.Agent.Tests.Proxy;

/// <summary>
/// A loopback TCP relay standing in for the network path between a proxy client and a proxy server, so a test can
/// kill that path: <see cref="Freeze"/> drops everything from then on without closing anything (the peer's host died
/// or its link went dark, and TCP on the other side does not know), <see cref="Cut"/> resets every connection (the
/// peer's process died and its kernel answered).
/// </summary>
internal sealed class LinkRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;
    private volatile bool _frozen;

    public LinkRelay(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public DnsEndPoint EndPoint => new("127.0.0.1", ((IPEndPoint)_listener.LocalEndpoint).Port);

    public void Freeze() => _frozen = true;

    public void Cut()
    {
        _frozen = true;
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.LingerState = new LingerOption(true, 0); // close with RST
                socket.Close();
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket inbound;
            try
            {
                inbound = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var outbound = new Socket(SocketType.Stream, ProtocolType.Tcp);
            lock (_sockets)
            {
                _sockets.Add(inbound);
                _sockets.Add(outbound);
            }

            if (_frozen)
            {
                continue; // a dead path takes the connection and never carries a byte
            }

            try
            {
                await outbound.ConnectAsync(_target, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                inbound.Close();
                continue;
            }

            lock (_pumps)
            {
                _pumps.Add(PumpAsync(inbound, outbound));
                _pumps.Add(PumpAsync(outbound, inbound));
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, _stop.Token)) > 0)
            {
                if (_frozen)
                {
                    continue; // swallowed: neither side hears anything, nobody closes
                }

                await to.SendAsync(buffer.AsMemory(0, read), _stop.Token);
            }

            if (!_frozen)
            {
                to.Shutdown(SocketShutdown.Send);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Cut, or the relay is stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        Task[] pumps;
        lock (_pumps)
        {
            pumps = [.. _pumps];
        }

        await Task.WhenAll(pumps);
        _stop.Dispose();
    }
}
