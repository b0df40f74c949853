using System.Text;
using Microsoft.AspNetCore.Http;

namespace Raven.Agent.Proxy.Tunnel;

/// <summary>One connected proxy client's control channel: the open response body of its control request.</summary>
/// <remarks>Dials may still hold a session the registry has dropped. Kestrel recycles the HttpContext once the control
/// handler returns, so the handler first calls <see cref="EndAsync"/>: it cancels a write in progress, waits for it,
/// and makes every later send fail without touching the response.</remarks>
internal sealed class TunnelSession(string nodeName, HttpContext context, long sequence)
{
    private volatile bool _unresponsive;

    // Neither is disposed: late senders may still wait on or link to them, and neither owns a timer or handle.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();

    public string NodeName { get; } = nodeName;

    /// <summary>Orders sessions of one node: the newest is asked first.</summary>
    public long Sequence { get; } = sequence;

    public CancellationToken Closed => _closed.Token;

    /// <summary>The HTTP/2 connection this session lives on; the client's connect streams arrive on the same one.</summary>
    public string ConnectionId { get; } = context.Connection.Id;

    /// <summary>
    /// Set when a dial sent here went unanswered for the hedge delay (the client's host may be dead while its TCP
    /// connection still looks open); such sessions are asked last. Cleared by any answer on this connection.
    /// </summary>
    public bool Unresponsive
    {
        get => _unresponsive;
        set => _unresponsive = value;
    }

    /// <summary>Sends one dial command. False when the channel is gone; the caller tries another session.</summary>
    public async Task<bool> SendAsync(DialCommand command, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(command.ToLine());
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        try
        {
            await _writeLock.WaitAsync(either.Token).ConfigureAwait(false);
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

            var result = await context.Response.BodyWriter.WriteAsync(bytes, either.Token).ConfigureAwait(false);
            return !result.IsCompleted && !result.IsCanceled;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            Close();
            return false;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Close() => _closed.Cancel();

    /// <summary>Closes the channel and waits until no send is using the response; the write lock is kept for good.</summary>
    public async Task EndAsync()
    {
        Close();
        await _writeLock.WaitAsync().ConfigureAwait(false);
    }
}
