using System.Diagnostics;

namespace Raven.TestSupport;

/// <summary>
/// Poll-with-deadline, the one way tests and benchmarks wait for an asynchronous outcome: check, pause briefly,
/// check again, and give up at a deadline instead of sleeping blindly.
/// </summary>
public static class Poll
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(20);

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Waits until <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/> after the deadline.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? deadline = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(() => Task.FromResult(condition()), what, deadline, interval);
    }

    /// <inheritdoc cref="UntilAsync(Func{bool}, string, TimeSpan?, TimeSpan?)"/>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? deadline = null, TimeSpan? interval = null)
    {
        var bound = deadline ?? DefaultDeadline;
        if (!await WhileAsync(condition, bound, interval ?? DefaultInterval, finalCheck: false).ConfigureAwait(false))
        {
            throw new TimeoutException($"timed out after {bound.TotalSeconds:0.#}s waiting until {what}");
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds; false when the deadline passed first (after one last check).</summary>
    public static Task<bool> TryUntilAsync(Func<bool> condition, TimeSpan deadline, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return TryUntilAsync(() => Task.FromResult(condition()), deadline, interval);
    }

    /// <inheritdoc cref="TryUntilAsync(Func{bool}, TimeSpan, TimeSpan?)"/>
    public static Task<bool> TryUntilAsync(Func<Task<bool>> condition, TimeSpan deadline, TimeSpan? interval = null) =>
        WhileAsync(condition, deadline, interval ?? DefaultInterval, finalCheck: true);

    /// <summary>
    /// Reads until the value satisfies <paramref name="condition"/> and returns it; after the deadline throws
    /// <see cref="TimeoutException"/> with <paramref name="what"/> and the last value as <paramref name="describe"/> shows it.
    /// </summary>
    public static async Task<T> ForAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? deadline = null,
        Func<T, string>? describe = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(condition);
        var bound = deadline ?? DefaultDeadline;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read().ConfigureAwait(false);
            if (condition(value))
            {
                return value;
            }

            if (clock.Elapsed >= bound)
            {
                throw new TimeoutException($"timed out after {bound.TotalSeconds:0.#}s waiting for {what}; last value: {(describe ?? (v => $"{v}"))(value)}");
            }

            await Task.Delay(interval ?? DefaultInterval).ConfigureAwait(false);
        }
    }

    private static async Task<bool> WhileAsync(Func<Task<bool>> condition, TimeSpan deadline, TimeSpan interval, bool finalCheck)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            if (clock.Elapsed >= deadline)
            {
                return finalCheck && await condition().ConfigureAwait(false);
            }

            await Task.Delay(interval).ConfigureAwait(false);
        }

        return true;
    }
}
