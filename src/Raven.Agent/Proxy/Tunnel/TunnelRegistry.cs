namespace Raven.Agent.Proxy.Tunnel;

/// <summary>Connected control sessions by proxy client node name. A node may hold several (a restarted client
/// whose old connection has not timed out yet); the newest is preferred.</summary>
internal sealed class TunnelRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<TunnelSession>> _sessions = new(StringComparer.Ordinal);
    private long _sequence;

    public long NextSequence() => Interlocked.Increment(ref _sequence);

    public void Add(TunnelSession session)
    {
        lock (_lock)
        {
            if (!_sessions.TryGetValue(session.NodeName, out var list))
            {
                _sessions[session.NodeName] = list = [];
            }

            list.Add(session);
        }
    }

    public void Remove(TunnelSession session)
    {
        lock (_lock)
        {
            if (_sessions.TryGetValue(session.NodeName, out var list) && list.Remove(session) && list.Count == 0)
            {
                _sessions.Remove(session.NodeName);
            }
        }
    }

    /// <summary>Sessions of <paramref name="nodeName"/>, newest first.</summary>
    public IReadOnlyList<TunnelSession> Get(string nodeName)
    {
        lock (_lock)
        {
            return _sessions.TryGetValue(nodeName, out var list)
                ? list.OrderByDescending(s => s.Sequence).ToList()
                : [];
        }
    }

    /// <summary>Clears <see cref="TunnelSession.Unresponsive"/> of the node's session on that connection.</summary>
    public void MarkResponsive(string nodeName, string connectionId)
    {
        foreach (var session in Get(nodeName).Where(s => s.ConnectionId == connectionId))
        {
            session.Unresponsive = false;
        }
    }

    public IReadOnlyList<TunnelSession> All()
    {
        lock (_lock)
        {
            return _sessions.Values.SelectMany(l => l).ToList();
        }
    }

    public IReadOnlyCollection<string> Nodes
    {
        get
        {
            lock (_lock)
            {
                return _sessions.Keys.ToList();
            }
        }
    }
}
