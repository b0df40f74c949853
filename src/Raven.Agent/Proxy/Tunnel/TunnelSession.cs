using System.Text;
using Microsoft.AspNetCore.Http;

namespace Raven.Agent.Proxy.Tunnel;

/// <summary>One connected proxy client's control channel: the open response body of its control request.</summary>
internal sealed class TunnelSession(string nodeName, HttpContext context, long sequence) : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();

    public string NodeName { get; } = nodeName;

    /// <summary>Orders sessions of one node: the newest is asked first.</summary>
    public long Sequence { get; } = sequence;

    public CancellationToken Closed => _closed.Token;

    /// <summary>Sends one dial command. False when the channel is gone; the caller tries another session.</summary>
    public async Task<bool> SendAsync(DialCommand command, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(command.ToLine());
        try
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        try
        {
            if (_closed.IsCancellationRequested)
            {
                return false;
            }

            var result = await context.Response.BodyWriter.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            return !result.IsCompleted && !result.IsCanceled;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException
            or ObjectDisposedException)
        {
            Close();
            return false;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Close()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Closed and disposed already.
        }
    }

    public void Dispose()
    {
        Close();
        _closed.Dispose();
        _writeLock.Dispose();
    }
}
