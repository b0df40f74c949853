using Raven.Kube.Resilience;

namespace Raven.Controller.Runtime;

/// <summary>Per reconcile key: how often it failed in a row and how long to wait before the next try (doubling, capped).</summary>
public sealed class KeyRetries(TimeSpan initial, TimeSpan max)
{
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Records a failure; returns the attempt number (1 for the first failure) and the delay before the retry.</summary>
    public (int Attempt, TimeSpan Delay) Failed(string key)
    {
        lock (_gate)
        {
            var attempt = _failures.GetValueOrDefault(key) + 1;
            _failures[key] = attempt;
            var delay = Backoff.Delay(initial, max, attempt - 1);
            return (attempt, delay);
        }
    }

    public void Succeeded(string key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }
}
