using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace Raven.Agent.Proxy.Tunnel;

/// <summary>
/// The server's end of one proxied TCP connection: reads come from the connect request body (bytes the target sent),
/// writes go to the connect response body. <see cref="CompleteWritesAsync"/> is a TCP half-close (the client shuts
/// down the target socket's send side); <see cref="Abort"/> resets the HTTP/2 stream and so the target connection.
/// Disposing completes writes and ends the stream gracefully. Once the connect handler has returned
/// (<see cref="Ended"/>), Kestrel recycles the request's HttpContext and body streams for other requests, so from then
/// on nothing here touches them: reads and writes fail, aborting and completing do nothing.
/// </summary>
public sealed class TunnelStream : Stream
{
    private readonly HttpContext _context;
    private readonly Stream _input;
    private readonly PipeWriter _output;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _requestGate = new();
    private int _writesCompleted;
    private bool _ended;

    internal TunnelStream(HttpContext context, string nodeName, DnsEndPoint target)
    {
        _context = context;
        _input = context.Request.Body;
        _output = context.Response.BodyWriter;
        NodeName = nodeName;
        Target = target;
    }

    /// <summary>The proxy client that dialed the target.</summary>
    public string NodeName { get; }

    public DnsEndPoint Target { get; }

    internal Task Closed => _closed.Task;

    /// <summary>True once the connect request has ended on the server; the stream is unusable from then on.</summary>
    internal bool Ended
    {
        get
        {
            lock (_requestGate)
            {
                return _ended;
            }
        }
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Ended)
        {
            return ValueTask.FromException<int>(ClosedError());
        }

        var read = _input.ReadAsync(buffer, cancellationToken);
        return read.IsCompletedSuccessfully ? read : AwaitReadAsync(read, cancellationToken);
    }

    private async ValueTask<int> AwaitReadAsync(ValueTask<int> read, CancellationToken cancellationToken)
    {
        try
        {
            return await read.ConfigureAwait(false);
        }
        catch (Exception ex) when (IsBreak(ex, cancellationToken))
        {
            throw Broken(ex);
        }
    }

    /// <summary>Kestrel reports an aborted request as a cancellation (ConnectionAbortedException); only the caller's
    /// own token makes it one.</summary>
    private static bool IsBreak(Exception ex, CancellationToken cancellationToken) =>
        ex is not TunnelBrokenException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _writesCompleted) != 0)
        {
            throw new IOException("the write side of the tunnel stream is already completed");
        }

        if (Ended)
        {
            throw ClosedError();
        }

        FlushResult result;
        try
        {
            result = await _output.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsBreak(ex, cancellationToken))
        {
            throw Broken(ex);
        }

        if (result.IsCompleted || result.IsCanceled)
        {
            throw ClosedError();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    // Every write already flushes (PipeWriter.WriteAsync).
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    /// <summary>Half-close: the target sees end of input, and may keep sending.</summary>
    public async Task CompleteWritesAsync()
    {
        if (Interlocked.Exchange(ref _writesCompleted, 1) != 0)
        {
            return;
        }

        Task completing;
        lock (_requestGate)
        {
            // Started under the gate so the request cannot end (and be recycled) between the check and the call.
            completing = _ended ? Task.CompletedTask : _context.Response.CompleteAsync();
        }

        await completing.ConfigureAwait(false);
    }

    /// <summary>Resets the stream in both directions; the client resets the target connection.</summary>
    public void Abort()
    {
        Interlocked.Exchange(ref _writesCompleted, 1);
        lock (_requestGate)
        {
            if (!_ended)
            {
                _context.Abort();
            }
        }

        _closed.TrySetResult();
    }

    /// <summary>Called by the connect handler just before it returns: the HttpContext is Kestrel's again.</summary>
    internal void End()
    {
        lock (_requestGate)
        {
            _ended = true;
        }

        _closed.TrySetResult();
    }

    private TunnelBrokenException ClosedError() =>
        new($"the tunnel stream to {DialCommand.FormatTarget(Target)} via proxy client \"{NodeName}\" is closed");

    private TunnelBrokenException Broken(Exception cause) =>
        new($"the tunnel to {DialCommand.FormatTarget(Target)} through proxy client \"{NodeName}\" broke: {cause.Message}", cause);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await CompleteWritesAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            // Already reset by the peer: nothing left to close gracefully.
        }

        _closed.TrySetResult();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        // The connect handler returns when this completes; Kestrel then ends the response itself.
        _closed.TrySetResult();
        base.Dispose(disposing);
    }
}
