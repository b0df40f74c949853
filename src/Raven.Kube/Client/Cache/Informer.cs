using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Kube.Resilience;
using k8s;

namespace Raven.Kube.Client.Cache;

/// <summary>
/// List-then-watch loop over the official client feeding an <see cref="InformerStore{T}"/> and handlers (client-go's
/// shared informer, minus sharing; the library has none). The store is updated before handlers hear of a change;
/// handlers run on one task, in order. A list is paged and pins the resourceVersion the watch starts from; bookmarks
/// move it on; a watch that ends reconnects from it; 410 Expired relists and emits deletes for vanished objects; a
/// watch silent past its server-side timeout is dropped and re-opened; other failures back off exponentially with
/// jitter, cut short when another request of the same client reaches the API server again.
/// </summary>
public sealed class Informer<T>
    where T : class
{
    private static readonly TimeSpan FailureReminder = TimeSpan.FromMinutes(1);

    private readonly KubeClient _client;
    private readonly KubeResource<T> _resource;
    private readonly InformerOptions _options;
    private readonly ILogger _logger;
    private readonly HandlerDispatcher<T> _dispatcher;
    private readonly Backoff _backoff;
    private string? _resourceVersion;
    private DateTimeOffset? _failingSince;
    private DateTimeOffset _lastFailureLog;
    private int _failures;

    public Informer(KubeClient client, KubeResource<T> resource, InformerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(resource);
        _client = client;
        _resource = resource;
        _options = options ?? new InformerOptions();
        _logger = logger ?? NullLogger.Instance;
        _backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff, BackoffJitter.UpToHalfMore);
        _dispatcher = new HandlerDispatcher<T>(resource.Kind, _logger);
        Store = new InformerStore<T>(resource.KeyOf, resource.NamespaceOf);
    }

    public InformerStore<T> Store { get; }

    /// <summary>True once the first full list has been stored and delivered to handlers.</summary>
    public bool HasSynced => _dispatcher.Synced.IsCompleted;

    /// <summary>
    /// Since when list or watch keep failing; null while they work. The store keeps its last contents meanwhile, so
    /// a consumer can tell last-known-good data from fresh data.
    /// </summary>
    public DateTimeOffset? FailingSince => Volatile.Read(ref _failingSinceBox)?.Value;

    /// <summary>Raised when the informer starts failing (true) or works again (false).</summary>
    public event Action<bool>? FailingChanged;

    /// <summary>
    /// Since when the cache has been current: the first successful list, or the first success after a failure
    /// streak (the relist that followed an outage); null before the first list and while failing.
    /// </summary>
    public DateTimeOffset? FreshSince => Volatile.Read(ref _freshSinceBox)?.Value;

    private StrongBox<DateTimeOffset>? _failingSinceBox;
    private StrongBox<DateTimeOffset>? _freshSinceBox;

    /// <summary>The resourceVersion the next watch resumes from.</summary>
    public string? LastResourceVersion => _resourceVersion;

    /// <summary>Subscribe before <see cref="RunAsync"/> so the initial list reaches the handler as adds.</summary>
    public void AddHandler(InformerHandler<T> handler) => _dispatcher.Add(handler);

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _dispatcher.Synced.WaitAsync(cancellationToken);

    /// <summary>Runs until cancelled. Never throws for API or network failures; they are logged and retried.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var dispatch = _dispatcher.RunAsync();
        var resync = _options.ResyncPeriod > TimeSpan.Zero ? ResyncAsync(cancellationToken) : Task.CompletedTask;
        try
        {
            await ListAndWatchAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _dispatcher.Complete();
            await dispatch.ConfigureAwait(false);
            await resync.ConfigureAwait(false);
        }
    }

    private async Task ListAndWatchAsync(CancellationToken cancellationToken)
    {
        var needList = true;
        var expiredInRow = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    await RelistAsync(cancellationToken).ConfigureAwait(false);
                    needList = false;
                    Succeeded();
                }

                if (await WatchOnceAsync(cancellationToken).ConfigureAwait(false))
                {
                    Succeeded();
                    _backoff.Reset();
                    expiredInRow = 0;
                    continue;
                }

                await DelayAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e.IsExpired())
            {
                Log.Expired(_logger, _resource.Kind, _resourceVersion, e.Message);
                needList = true;

                // A fresh list that expires again at once means something is off: do not spin.
                if (expiredInRow++ > 0 && !await DelayAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Failed(needList ? "list" : "watch", e);
                if (!await DelayAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    private async Task RelistAsync(CancellationToken cancellationToken)
    {
        var query = new ListQuery { LabelSelector = _options.LabelSelector, FieldSelector = _options.FieldSelector, Limit = _options.PageSize };
        var first = await _resource.ListAsync(_client.Api, _options.Namespace, query, cancellationToken).ConfigureAwait(false);
        var items = new List<T>(first.Items);
        for (var next = first.Continue; !string.IsNullOrEmpty(next);)
        {
            // The continue token pins the first page's snapshot, whose resourceVersion the watch resumes from.
            var page = await _resource.ListAsync(_client.Api, _options.Namespace, query with { Continue = next }, cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            next = page.Continue;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            seen.Add(Store.KeyOf(item));
            Stored(item);
        }

        foreach (var key in Store.Keys().Where(k => !seen.Contains(k)))
        {
            if (Store.Remove(key) is { } gone)
            {
                Enqueue(new(NotificationKind.Delete, gone, gone));
            }
        }

        _resourceVersion = first.ResourceVersion;
        if (!HasSynced)
        {
            Enqueue(new(NotificationKind.Synced, null, null));
        }
    }

    /// <summary>One watch; true if it made progress (events, or lasted long enough), false if it should back off.</summary>
    private async Task<bool> WatchOnceAsync(CancellationToken cancellationToken)
    {
        var timeout = _options.WatchTimeout * (1 + Random.Shared.NextDouble());
        var query = new ListQuery
        {
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
            ResourceVersion = _resourceVersion,
            TimeoutSeconds = (int)Math.Ceiling(timeout.TotalSeconds),
        };

        // The server closes the watch at timeoutSeconds; our own deadline catches a connection that died silently.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout + TimeSpan.FromSeconds(30));
        var started = _options.Time.GetUtcNow();
        var events = 0;
        try
        {
            await foreach (var (type, item) in _resource.WatchAsync(_client.Api, _options.Namespace, query, deadline.Token).ConfigureAwait(false))
            {
                events++;
                Apply(type, item);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return true;
        }

        return events > 0 || _options.Time.GetUtcNow() - started >= _options.MinWatchDuration;
    }

    /// <summary>The first failure of a streak is a warning, repeats are debug lines with a reminder a minute, recovery is info.</summary>
    private void Failed(string operation, Exception e)
    {
        var now = _options.Time.GetUtcNow();
        _failures++;
        if (_failingSince is null)
        {
            _failingSince = now;
            _lastFailureLog = now;
            Volatile.Write(ref _failingSinceBox, new StrongBox<DateTimeOffset>(now));
            Volatile.Write(ref _freshSinceBox, null);
            Log.Failed(_logger, _resource.Kind, operation, Where(e), e);
            FailingChanged?.Invoke(true);
        }
        else if (now - _lastFailureLog >= FailureReminder)
        {
            _lastFailureLog = now;
            Log.StillFailing(_logger, _resource.Kind, operation, Where(e), (now - _failingSince.Value).TotalSeconds, _failures, e);
        }
        else
        {
            Log.FailedAgain(_logger, _resource.Kind, operation, e);
        }
    }

    /// <summary>" on SERVER" unless the failure already names it (a stream that broke mid-watch does not).</summary>
    private string Where(Exception e) =>
        Observability.LogExceptions.OneLine(e).Contains(_client.ServerDisplay, StringComparison.Ordinal) ? "" : " on " + _client.ServerDisplay;

    private void Succeeded()
    {
        if (Volatile.Read(ref _freshSinceBox) is null)
        {
            Volatile.Write(ref _freshSinceBox, new StrongBox<DateTimeOffset>(_options.Time.GetUtcNow()));
        }

        if (_failingSince is not { } since)
        {
            return;
        }

        Log.Recovered(_logger, _resource.Kind, (_options.Time.GetUtcNow() - since).TotalSeconds, _failures);
        _failingSince = null;
        _failures = 0;
        Volatile.Write(ref _failingSinceBox, null);
        FailingChanged?.Invoke(false);
    }

    private void Apply(WatchEventType type, T? item)
    {
        if (item is null)
        {
            return;
        }

        switch (type)
        {
            case WatchEventType.Added or WatchEventType.Modified:
                Stored(item);
                break;
            case WatchEventType.Deleted:
                // Handlers get the object's final state from the event, as client-go delivers it.
                Store.Remove(Store.KeyOf(item));
                Enqueue(new(NotificationKind.Delete, item, item));
                break;
            case WatchEventType.Bookmark:
            case WatchEventType.Error:
            default:
                break;
        }

        _resourceVersion = _resource.ResourceVersionOf(item) ?? _resourceVersion;
    }

    /// <summary>Stores an object and queues Add, or Update when its resourceVersion changed.</summary>
    private void Stored(T item)
    {
        var old = Store.Upsert(item);
        if (old is null)
        {
            Enqueue(new(NotificationKind.Add, null, item));
        }
        else if (_resource.ResourceVersionOf(old) != _resource.ResourceVersionOf(item))
        {
            Enqueue(new(NotificationKind.Update, old, item));
        }
    }

    private void Enqueue(Notification<T> notification) => _dispatcher.Enqueue(notification);

    /// <summary>Backs off, but no longer than until another request of the same client reaches the API server again.</summary>
    private async Task<bool> DelayAsync(CancellationToken cancellationToken)
    {
        var reachable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(bool isReachable)
        {
            if (isReachable)
            {
                reachable.TrySetResult();
            }
        }

        var connectivity = _client.Connectivity;
        using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectivity.Changed += OnChanged;
        try
        {
            await Task.WhenAny(Task.Delay(_backoff.Next(), _options.Time, delay.Token), reachable.Task).ConfigureAwait(false);
            return !cancellationToken.IsCancellationRequested;
        }
        finally
        {
            connectivity.Changed -= OnChanged;
            await delay.CancelAsync().ConfigureAwait(false); // no timer left behind when the server answered first
        }
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.ResyncPeriod, _options.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var item in Store.List())
                {
                    Enqueue(new(NotificationKind.Update, item, item));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
