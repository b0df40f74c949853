using k8s.Autorest;

namespace Raven.Kube.Client;

/// <summary>Optimistic concurrency for read-modify-write: re-read and re-apply the change when someone wrote in between.</summary>
public static class ConflictRetry
{
    /// <param name="get">Reads the current object.</param>
    /// <param name="mutate">Changes it in place; false means nothing to do (nothing is written).</param>
    /// <param name="put">Writes it (PUT with the read resourceVersion, so a stale copy fails with 409).</param>
    /// <returns>What the server stored, or the unchanged object when <paramref name="mutate"/> declined.</returns>
    public static async Task<T> UpdateAsync<T>(
        Func<CancellationToken, Task<T>> get, Func<T, bool> mutate, Func<T, CancellationToken, Task<T>> put, int attempts = 5,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(get);
        ArgumentNullException.ThrowIfNull(mutate);
        ArgumentNullException.ThrowIfNull(put);
        for (var attempt = 1; ; attempt++)
        {
            var current = await get(cancellationToken).ConfigureAwait(false);
            if (!mutate(current))
            {
                return current;
            }

            try
            {
                return await put(current, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.IsConflict() && attempt < attempts)
            {
                // Someone else wrote in between; re-read and re-apply the change.
            }
        }
    }
}
