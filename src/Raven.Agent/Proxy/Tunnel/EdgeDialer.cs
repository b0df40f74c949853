using System.Net;
using System.Net.Sockets;

namespace Raven.Agent.Proxy.Tunnel;

/// <summary>Serves one dial command on the proxy client: connects to the target and carries its bytes over a connect
/// stream until both directions end.</summary>
internal static class EdgeDialer
{
    public static async Task ServeAsync(HttpMessageInvoker invoker, Uri server, TunnelClientOptions options,
        DialCommand command, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (socket, error) = await ConnectAsync(options, command.Target, clock, cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, TunnelProtocol.ConnectPath(command.Id)))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add(TunnelProtocol.NodeHeader, options.NodeName);
        if (socket is null)
        {
            request.Headers.Add(TunnelProtocol.DialErrorHeader, error!.ReplaceLineEndings(" "));
            request.Content = new ByteArrayContent([]);
            try
            {
                using var refused = await invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                // The server stops waiting after its dial timeout anyway.
            }

            return;
        }

        using var target = new NetworkStream(socket, ownsSocket: true);
        using var streamCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var upload = new PumpContent((body, token) => StreamCopier.CopyAsync(target, body, autoFlush: true, clock, token));
        request.Content = upload;
        HttpResponseMessage response;
        try
        {
            response = await invoker.SendAsync(request, streamCancel.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return;
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return;
            }

            var downstream = await response.Content.ReadAsStreamAsync(streamCancel.Token).ConfigureAwait(false);
            var down = await StreamCopier.CopyAsync(downstream, target, autoFlush: false, clock, streamCancel.Token)
                .ConfigureAwait(false);
            if (down.Result == StreamCopyResult.Success)
            {
                // The server side half-closed: pass the FIN on and keep carrying the target's answer.
                TryShutdownSend(socket);
                await upload.Outcome.ConfigureAwait(false);
            }
            else
            {
                // Reset from the server (or we are stopping): reset the HTTP/2 stream and drop the target connection.
                await streamCancel.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<(Socket? Socket, string? Error)> ConnectAsync(TunnelClientOptions options, DnsEndPoint target,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (options.AllowTarget is { } allow && !allow(target))
        {
            return (null, $"proxy client {options.NodeName} does not dial {DialCommand.FormatTarget(target)}");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(options.ConnectTimeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await socket.ConnectAsync(target, linked.Token).ConfigureAwait(false);
            return (socket, null);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            var reason = ex is OperationCanceledException ? "timed out" : ex.Message;
            return (null, $"proxy client {options.NodeName} cannot connect to {DialCommand.FormatTarget(target)}: {reason}");
        }
    }

    private static void TryShutdownSend(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The target already closed; the upload ends by itself.
        }
    }
}
