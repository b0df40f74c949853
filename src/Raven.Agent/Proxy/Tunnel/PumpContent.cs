using System.Net;

namespace Raven.Agent.Proxy.Tunnel;

/// <summary>
/// A request body that is produced while the response is read (HTTP/2 full duplex): <paramref name="pump"/> writes
/// into the request stream until it returns; the body then ends (END_STREAM). A failed pump resets the stream.
/// </summary>
internal sealed class PumpContent(Func<Stream, CancellationToken, Task<StreamCopyOutcome>> pump) : HttpContent
{
    private readonly TaskCompletionSource<StreamCopyOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How the pump ended; canceled if the body was never sent.</summary>
    public Task<StreamCopyOutcome> Outcome => _outcome.Task;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // SocketsHttpHandler holds HTTP/2 request headers back until the body writes or flushes; the peer must see
        // the request now, before the first byte of the body exists.
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        var outcome = await pump(stream, cancellationToken).ConfigureAwait(false);
        _outcome.TrySetResult(outcome);
        if (outcome.Result != StreamCopyResult.Success)
        {
            throw new IOException($"request body ended with {outcome.Result}", outcome.Error);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        _outcome.TrySetResult(new StreamCopyOutcome(StreamCopyResult.Canceled, 0, TimeSpan.Zero, null));
        base.Dispose(disposing);
    }
}
