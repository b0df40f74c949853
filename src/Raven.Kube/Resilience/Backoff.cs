namespace Raven.Kube.Resilience;

/// <summary>
/// The one retry delay of Raven: starts at <c>initial</c>, doubles on every <see cref="Next"/> up to <c>max</c>, and
/// is stretched by a random factor from the <see cref="BackoffJitter"/> so many clients that failed together do not
/// retry together. <see cref="Reset"/> after a success starts again at <c>initial</c>.
/// </summary>
public sealed class Backoff
{
    // 2^30 times any positive initial is far beyond every max; the cap keeps the exponent finite.
    private const int MaxExponent = 30;

    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly BackoffJitter _jitter;
    private readonly Func<double> _random;

    public Backoff(TimeSpan initial, TimeSpan max, BackoffJitter? jitter = null, Func<double>? random = null)
    {
        if (initial < TimeSpan.Zero || max < initial)
        {
            throw new ArgumentException($"backoff: need 0 <= initial ({initial}) <= max ({max})", nameof(initial));
        }

        _initial = initial;
        _max = max;
        _jitter = jitter ?? BackoffJitter.None;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>How many delays were handed out since the start or the last <see cref="Reset"/>.</summary>
    public int Attempts { get; private set; }

    /// <summary>The next delay; never more than max unless the jitter says it may be.</summary>
    public TimeSpan Next()
    {
        var delay = Delay(_initial, _max, Attempts);
        Attempts++;
        if (_jitter == BackoffJitter.None)
        {
            return delay;
        }

        var factor = _jitter.Low + ((_jitter.High - _jitter.Low) * _random());
        var jittered = delay.Ticks * factor;
        return TimeSpan.FromTicks((long)(_jitter.MayExceedMax ? jittered : Math.Min(_max.Ticks, jittered)));
    }

    public void Reset() => Attempts = 0;

    /// <summary>The delay before retry number <paramref name="attempt"/> (0 for the first), without jitter.</summary>
    public static TimeSpan Delay(TimeSpan initial, TimeSpan max, int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        return TimeSpan.FromTicks((long)Math.Min(max.Ticks, initial.Ticks * Math.Pow(2, Math.Min(attempt, MaxExponent))));
    }
}

/// <summary>Each delay is multiplied by a factor drawn uniformly from [Low, High].</summary>
/// <param name="MayExceedMax">Whether a stretched delay may pass the backoff's max (else it is capped there).</param>
public sealed record BackoffJitter(double Low, double High, bool MayExceedMax)
{
    /// <summary>Exact doubling: loops that retry alone (one engine, one supervisor, one controller key).</summary>
    public static readonly BackoffJitter None = new(1, 1, MayExceedMax: false);

    /// <summary>Up to half again, capped at max, as client-go's informers do: watches of many agents against one API server.</summary>
    public static readonly BackoffJitter UpToHalfMore = new(1, 1.5, MayExceedMax: false);

    /// <summary>±20 % around every delay, also at max: edges reconnecting to one proxy server after its restart.</summary>
    public static readonly BackoffJitter TwentyPercent = new(0.8, 1.2, MayExceedMax: true);
}
