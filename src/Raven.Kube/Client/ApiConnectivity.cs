namespace Raven.Kube.Client;

/// <summary>
/// Whether the API server has been answering, as every request of one <see cref="KubeClient"/> observed it: any
/// HTTP response counts as reached (even an error status), a transport failure or a timeout as not reached. The
/// controller uses <see cref="ReachableSince"/> so that leases which could not be renewed while the API server was
/// down are not taken for dead nodes.
/// </summary>
public sealed class ApiConnectivity(TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _reachableSince;
    private DateTimeOffset? _unreachableSince;
    private string? _lastError;

    /// <summary>Since when every request reached the server; null before the first answer and while failing.</summary>
    public DateTimeOffset? ReachableSince
    {
        get
        {
            lock (_gate)
            {
                return _reachableSince;
            }
        }
    }

    /// <summary>Since when requests fail to reach the server; null while it answers.</summary>
    public DateTimeOffset? UnreachableSince
    {
        get
        {
            lock (_gate)
            {
                return _unreachableSince;
            }
        }
    }

    /// <summary>The last transport failure, for logs and readiness reasons.</summary>
    public string? LastError
    {
        get
        {
            lock (_gate)
            {
                return _lastError;
            }
        }
    }

    /// <summary>Raised with true when the server answers again after failures (or for the first time), false when it stops answering.</summary>
    public event Action<bool>? Changed;

    public void Reached()
    {
        bool changed;
        lock (_gate)
        {
            changed = _reachableSince is null;
            _reachableSince ??= time.GetUtcNow();
            _unreachableSince = null;
        }

        if (changed)
        {
            Changed?.Invoke(true);
        }
    }

    public void Failed(string error)
    {
        bool changed;
        lock (_gate)
        {
            changed = _unreachableSince is null;
            _unreachableSince ??= time.GetUtcNow();
            _reachableSince = null;
            _lastError = error;
        }

        if (changed)
        {
            Changed?.Invoke(false);
        }
    }
}
