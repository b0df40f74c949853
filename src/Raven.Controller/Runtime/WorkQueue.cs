using System.Threading.Channels;

namespace Raven.Controller.Runtime;

/// <summary>
/// A de-duplicating queue of reconcile keys: a key waiting already is not queued twice, and a key being
/// processed that is added again runs once more afterwards. Delayed adds serve lease-expiry timers and retries.
/// </summary>
public sealed class WorkQueue(TimeProvider time)
{
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Add(string key)
    {
        lock (_gate)
        {
            if (!_waiting.Add(key))
            {
                return;
            }
        }

        _channel.Writer.TryWrite(key);
    }

    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        ITimer? timer = null;
        timer = time.CreateTimer(_ =>
        {
            Add(key);
            timer?.Dispose();
        }, null, delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Waits for the next key; it counts as waiting again only once taken.</summary>
    public async ValueTask<string> TakeAsync(CancellationToken cancellationToken)
    {
        var key = await _channel.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _waiting.Remove(key);
        }

        return key;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }
}
