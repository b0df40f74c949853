using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Raven.Lab.Pods;

/// <summary>
/// Forwards every connection accepted on one socket to another, byte for byte (TLS passes through untouched): how
/// the lab's pods reach the API server, whose TCP listener is on the root namespace's loopback. The lab's workload
/// process (root namespace) forwards a Unix socket to that loopback port, which it reads for every connection so an
/// API server restarted on another port is found; each node's kubelet (node namespace) forwards a TCP address of
/// its namespace to that Unix socket, which every namespace reaches through the file system.
/// </summary>
public sealed class SocketForwarder : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<EndPoint?> _upstream;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private SocketForwarder(Socket listener, Func<EndPoint?> upstream, ILogger logger)
    {
        _listener = listener;
        _upstream = upstream;
        _logger = logger;
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public EndPoint LocalEndPoint => _listener.LocalEndPoint!;

    /// <param name="listen">An <see cref="IPEndPoint"/> or a <see cref="UnixDomainSocketEndPoint"/> (an existing socket file is replaced).</param>
    /// <param name="upstream">Where to connect, asked per connection; null refuses the connection (nothing to reach yet).</param>
    public static SocketForwarder Start(EndPoint listen, Func<EndPoint?> upstream, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(listen);
        if (listen is UnixDomainSocketEndPoint unix)
        {
            File.Delete(unix.ToString());
        }

        var socket = listen is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (listen is IPEndPoint)
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            socket.Bind(listen);
            socket.Listen(128);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new SocketForwarder(socket, upstream, logger);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            var target = _upstream();
            if (target is null)
            {
                return;
            }

            using var upstream = target is UnixDomainSocketEndPoint
                ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
                : new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await upstream.ConnectAsync(target, _stop.Token).ConfigureAwait(false);
                await using var a = new NetworkStream(client, ownsSocket: false);
                await using var b = new NetworkStream(upstream, ownsSocket: false);
                var up = CopyAsync(a, b, upstream);
                var down = CopyAsync(b, a, client);
                await Task.WhenAll(up, down).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                _logger.LogDebug("forwarding to {Target} ended: {Error}", target, e.Message);
            }
        }
    }

    /// <summary>Copies until end of stream, then half-closes the other side so the peer sees the end too.</summary>
    private async Task CopyAsync(Stream from, Stream to, Socket toSocket)
    {
        try
        {
            await from.CopyToAsync(to, _stop.Token).ConfigureAwait(false);
            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            toSocket.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        _stop.Dispose();
    }
}
