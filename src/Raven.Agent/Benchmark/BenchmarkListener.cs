using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Raven.Agent.Benchmark;

/// <summary>
/// The target side: listens on one address until cancelled (the request's expiry), one connection at a time, and serves
/// only connections whose hello carries the token. Nothing listens outside <see cref="RunAsync"/>.
/// </summary>
public sealed class BenchmarkListener(IPEndPoint bind, byte[] token, ILogger logger)
{
    /// <summary>A connection must say hello within this, so a silent peer cannot hold the one slot.</summary>
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Binds (throws <see cref="SocketException"/> when it cannot), then serves until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        var listener = new TcpListener(bind);
        listener.Start(1);
        return ServeAsync(listener, cancellationToken);
    }

    private async Task ServeAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                client.NoDelay = true;
                try
                {
                    await ServeOneAsync(client, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or SocketException)
                {
                    logger.LogInformation("benchmark connection from {Peer} ended: {Reason}", client.Client.RemoteEndPoint, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            listener.Stop();
        }
    }

    private async Task ServeOneAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var stream = client.GetStream();
        var hello = new byte[BenchmarkWire.HelloLength];
        using (var helloBound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            helloBound.CancelAfter(HelloTimeout);
            bool complete;
            try
            {
                complete = await BenchmarkWire.ReadExactlyAsync(stream, hello, helloBound.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                complete = false;
            }

            if (!complete || BenchmarkWire.Check(hello, token) is not { } mode)
            {
                logger.LogWarning("benchmark connection from {Peer} refused: no valid hello with the request's token", client.Client.RemoteEndPoint);
                return;
            }

            if (mode == BenchmarkWire.Echo)
            {
                await EchoAsync(stream, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await CountAsync(stream, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task EchoAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var frame = new byte[BenchmarkWire.EchoFrame];
        while (await BenchmarkWire.ReadExactlyAsync(stream, frame, cancellationToken).ConfigureAwait(false))
        {
            await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task CountAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[128 * 1024];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        await stream.WriteAsync(BenchmarkWire.Count(total), cancellationToken).ConfigureAwait(false);
    }
}
