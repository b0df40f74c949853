using System.Net;

namespace Raven.Agent.Nat;

/// <summary>
/// Token buckets per source address plus one for all sources together, so the responder can neither be made to
/// flood one victim (spoofed sources) nor to send without bound. The table of sources is capped: when it is full,
/// buckets that have refilled completely are forgotten first (they hold no state worth keeping), and a new source
/// is refused if none has. Not thread-safe: the responder calls it under its own lock.
/// </summary>
public sealed class SourceRateLimiter
{
    private readonly Dictionary<IPAddress, Bucket> buckets = [];
    private readonly SourceRateLimitOptions options;
    private readonly TimeProvider time;
    private Bucket global;

    public SourceRateLimiter(SourceRateLimitOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        this.options = options;
        this.time = time;
        global = new Bucket(options.GlobalBurst, time.GetTimestamp());
    }

    public int TrackedSources => buckets.Count;

    public bool TryAcquire(IPAddress source)
    {
        ArgumentNullException.ThrowIfNull(source);
        long now = time.GetTimestamp();
        if (!buckets.TryGetValue(source, out var bucket))
        {
            if (buckets.Count >= options.MaxSources && !ForgetRefilled(now))
            {
                return false;
            }

            bucket = new Bucket(options.PerSourceBurst, now);
        }

        bucket = bucket.Refill(now, options.PerSourcePerSecond, options.PerSourceBurst, time);
        global = global.Refill(now, options.GlobalPerSecond, options.GlobalBurst, time);
        bool allowed = bucket.Tokens >= 1 && global.Tokens >= 1;
        if (allowed)
        {
            bucket = bucket with { Tokens = bucket.Tokens - 1 };
            global = global with { Tokens = global.Tokens - 1 };
        }

        buckets[source] = bucket;
        return allowed;
    }

    private bool ForgetRefilled(long now)
    {
        var full = buckets
            .Where(kv => kv.Value.Refill(now, options.PerSourcePerSecond, options.PerSourceBurst, time).Tokens >= options.PerSourceBurst)
            .Select(kv => kv.Key)
            .ToList();
        foreach (var address in full)
        {
            buckets.Remove(address);
        }

        return buckets.Count < options.MaxSources;
    }

    private readonly record struct Bucket(double Tokens, long Stamp)
    {
        public Bucket Refill(long now, double perSecond, double burst, TimeProvider time)
        {
            double seconds = time.GetElapsedTime(Stamp, now).TotalSeconds;
            return new Bucket(Math.Min(burst, Tokens + (seconds * perSecond)), now);
        }
    }
}

/// <summary>
/// Defaults: one discovery run sends fewer than 20 requests with retransmissions, so 10/s with a burst of 20 per
/// source never slows a real client; 500/s overall bounds what the responder can be made to send.
/// </summary>
public sealed record SourceRateLimitOptions
{
    public double PerSourcePerSecond { get; init; } = 10;

    public double PerSourceBurst { get; init; } = 20;

    public double GlobalPerSecond { get; init; } = 500;

    public double GlobalBurst { get; init; } = 1000;

    public int MaxSources { get; init; } = 4096;
}
