using System.Threading.Channels;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Raven.Kube.Client;

/// <summary>
/// Writes Events in the background, one at a time and in the order they were posted, so a reconcile never waits on
/// them: an election that changes four endpoints used to spend most of its time creating four Events before the next
/// Gateway's turn. Each event keeps the time it was posted. A full queue (the API server gone for long) drops new
/// events and says how many once it drains; an event is never worth holding up the data plane's status.
/// </summary>
public sealed class EventQueue(EventRecorder recorder, ILogger logger, int capacity = 512)
{
    private readonly Channel<PendingEvent> _pending = Channel.CreateBounded<PendingEvent>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private long _dropped;

    /// <summary>Queues the event; returns at once.</summary>
    public void Post(V1ObjectReference involved, string type, string reason, string message)
    {
        ArgumentNullException.ThrowIfNull(involved);
        if (!_pending.Writer.TryWrite(new PendingEvent(involved, type, reason, message, recorder.Now())))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes queued events until cancelled; failures are logged, one line per event.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in _pending.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await recorder.RecordAsync(e.Involved, e.Type, e.Reason, e.Message, e.At, cancellationToken).ConfigureAwait(false) is { } error)
                {
                    logger.LogWarning("could not record event {Reason} on {Kind} {Name}: {Error}", e.Reason, e.Involved.Kind, e.Involved.Name, KubeErrors.Describe(error));
                }

                if (_pending.Reader.Count == 0 && Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped)
                {
                    logger.LogWarning("dropped {Count} event(s): more than {Capacity} were waiting for the API server", dropped, capacity);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping: events still queued are not worth delaying the exit for
        }
    }

    private sealed record PendingEvent(V1ObjectReference Involved, string Type, string Reason, string Message, DateTimeOffset At);
}
