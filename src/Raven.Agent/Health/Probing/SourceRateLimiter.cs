using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Raven.Agent.Health.Probing;

/// <summary>
/// A token bucket per source address, so the responder cannot be turned into a reflector: each source gets at most
/// <c>rate</c> replies per second after a burst. At most <c>maxSources</c> addresses are tracked; when that many are
/// busy at once, new ones share a single overflow bucket. Pure: time is passed in; not thread-safe (one receive loop).
/// </summary>
internal sealed class SourceRateLimiter
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromSeconds(1);
    private readonly double _rate;
    private readonly double _burst;
    private readonly int _maxSources;
    private readonly TimeSpan _refill;
    private readonly Dictionary<UInt128, Bucket> _buckets;
    private Bucket _overflow;
    private TimeSpan? _lastPrune;

    public SourceRateLimiter(double ratePerSecond, int burst, int maxSources)
    {
        _rate = ratePerSecond;
        _burst = burst;
        _maxSources = maxSources;
        _refill = TimeSpan.FromSeconds(burst / ratePerSecond);
        _buckets = new Dictionary<UInt128, Bucket>(maxSources);
        _overflow = new Bucket(burst, TimeSpan.Zero);
    }

    public int TrackedSources => _buckets.Count;

    public bool TryTake(UInt128 source, TimeSpan now)
    {
        ref var bucket = ref CollectionsMarshal.GetValueRefOrNullRef(_buckets, source);
        if (Unsafe.IsNullRef(ref bucket))
        {
            if (_buckets.Count >= _maxSources && !Prune(now))
            {
                return Take(ref _overflow, now);
            }

            bucket = ref CollectionsMarshal.GetValueRefOrAddDefault(_buckets, source, out _);
            bucket = new Bucket(_burst, now);
        }

        return Take(ref bucket, now);
    }

    /// <summary>The key of a socket address: its IP address only (a NAT may change the port between probes).</summary>
    public static UInt128 KeyOf(SocketAddress address)
    {
        var bytes = address.Buffer.Span;
        return address.Family == AddressFamily.InterNetworkV6 && bytes.Length >= 24
            ? BinaryPrimitives.ReadUInt128BigEndian(bytes.Slice(8, 16))
            : ((UInt128)0xffff << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(4, 4));
    }

    private bool Take(ref Bucket bucket, TimeSpan now)
    {
        var elapsed = (now - bucket.Last).TotalSeconds;
        if (elapsed > 0)
        {
            bucket.Tokens = Math.Min(_burst, bucket.Tokens + (elapsed * _rate));
            bucket.Last = now;
        }

        if (bucket.Tokens < 1)
        {
            return false;
        }

        bucket.Tokens -= 1;
        return true;
    }

    /// <summary>Forgets sources idle long enough to have refilled (a full bucket equals a new one); at most once a second.</summary>
    private bool Prune(TimeSpan now)
    {
        if (_lastPrune is { } last && now - last < PruneEvery)
        {
            return false;
        }

        _lastPrune = now;
        foreach (var (key, bucket) in _buckets)
        {
            if (now - bucket.Last >= _refill)
            {
                _buckets.Remove(key);
            }
        }

        return _buckets.Count < _maxSources;
    }

    private struct Bucket(double tokens, TimeSpan last)
    {
        public double Tokens = tokens;
        public TimeSpan Last = last;
    }
}
