using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Raven.Kube.Client.Cache;

/// <summary>
/// Delivers an informer's notifications to its handlers from one task, in the order they were queued, so a
/// slow or failing handler never reorders or drops events for the others.
/// </summary>
internal sealed class HandlerDispatcher<T>(string kind, ILogger logger)
    where T : class
{
    private readonly Channel<Notification<T>> _queue = Channel.CreateUnbounded<Notification<T>>(new() { SingleReader = true });
    private readonly List<InformerHandler<T>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the Synced marker has been reached, i.e. the initial list was delivered.</summary>
    public Task Synced => _synced.Task;

    public void Add(InformerHandler<T> handler)
    {
        lock (_handlers)
        {
            _handlers.Add(handler);
        }
    }

    public void Enqueue(Notification<T> notification) => _queue.Writer.TryWrite(notification);

    public void Complete() => _queue.Writer.TryComplete();

    public async Task RunAsync()
    {
        await foreach (var notification in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (notification.Kind == NotificationKind.Synced)
            {
                _synced.TrySetResult();
                continue;
            }

            InformerHandler<T>[] handlers;
            lock (_handlers)
            {
                handlers = [.. _handlers];
            }

            foreach (var handler in handlers)
            {
                Invoke(handler, notification);
            }
        }
    }

    private void Invoke(InformerHandler<T> handler, Notification<T> n)
    {
        try
        {
            switch (n.Kind)
            {
                case NotificationKind.Add:
                    handler.OnAdd?.Invoke(n.New!);
                    break;
                case NotificationKind.Update:
                    handler.OnUpdate?.Invoke(n.Old!, n.New!);
                    break;
                case NotificationKind.Delete:
                    handler.OnDelete?.Invoke(n.Old!);
                    break;
                case NotificationKind.Synced:
                default:
                    break;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // One failing subscriber must not stop the others or the informer.
            Log.HandlerFailed(logger, kind, n.Kind.ToString(), e);
        }
    }
}
