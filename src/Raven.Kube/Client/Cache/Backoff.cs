namespace Raven.Kube.Client.Cache;

/// <summary>Jittered exponential backoff: initial, doubling up to max, each delay stretched by up to +50% at random.</summary>
public sealed class Backoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly Func<double> _random;
    private int _attempt;

    public Backoff(TimeSpan initial, TimeSpan max, Func<double>? random = null)
    {
        if (initial <= TimeSpan.Zero || max < initial)
        {
            throw new ArgumentException($"backoff: need 0 < initial ({initial}) <= max ({max})", nameof(initial));
        }

        _initial = initial;
        _max = max;
        _random = random ?? Random.Shared.NextDouble;
    }

    public static Backoff Default() => new(TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(30));

    /// <summary>The next delay; never more than max.</summary>
    public TimeSpan Next()
    {
        var exponent = Math.Min(_attempt, 30);
        _attempt++;
        var baseDelay = Math.Min(_max.TotalMilliseconds, _initial.TotalMilliseconds * Math.Pow(2, exponent));
        var jittered = baseDelay * (1 + (0.5 * _random()));
        return TimeSpan.FromMilliseconds(Math.Min(_max.TotalMilliseconds, jittered));
    }

    public void Reset() => _attempt = 0;
}
