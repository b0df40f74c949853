namespace Raven.Agent.Proxy.Tunnel;

/// <summary>Exponential reconnect delay with ±20 % jitter, so edges do not reconnect in lockstep after a server restart.</summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max, Func<double>? random = null)
{
    private readonly TimeSpan _initial = initial;
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;
    private TimeSpan _next = initial;

    public TimeSpan Next()
    {
        var delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(max.Ticks, _next.Ticks * 2));
        return delay * (0.8 + (0.4 * _random()));
    }

    public void Reset() => _next = _initial;
}
