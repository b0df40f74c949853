namespace Raven.Agent.Health.Probing;

/// <summary>
/// When the responder last got a valid request from each node id: evidence that this node's LAN works (members probe
/// their gateways), which the failover rule needs before a standby takes over. Bounded; thread-safe.
/// </summary>
internal sealed class PeerActivity(int maxPeers)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, TimeSpan> _lastHeard = new(Math.Min(maxPeers, 1024));

    public void Heard(ulong nodeId, TimeSpan now)
    {
        lock (_gate)
        {
            if (_lastHeard.Count < maxPeers || _lastHeard.ContainsKey(nodeId))
            {
                _lastHeard[nodeId] = now;
            }
        }
    }

    public TimeSpan? LastHeard(ulong nodeId)
    {
        lock (_gate)
        {
            return _lastHeard.TryGetValue(nodeId, out var at) ? at : null;
        }
    }

    public int HeardSince(TimeSpan since)
    {
        lock (_gate)
        {
            return _lastHeard.Values.Count(at => at >= since);
        }
    }
}
