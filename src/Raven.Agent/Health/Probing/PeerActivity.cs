using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Health.Probing;

/// <summary>
/// When the responder last got a valid request from each node id: evidence that this node's LAN works (members probe
/// their gateways), which the failover rule needs before a standby takes over; and what that request said about the
/// prober's punched path to this node (<see cref="ProbePacket.Punch"/>). Bounded; thread-safe.
/// </summary>
internal sealed class PeerActivity(int maxPeers)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, (TimeSpan At, ProbeFlags Punch)> _lastHeard = new(Math.Min(maxPeers, 1024));

    public void Heard(ulong nodeId, TimeSpan now, ProbeFlags punch = ProbeFlags.None)
    {
        lock (_gate)
        {
            if (_lastHeard.Count < maxPeers || _lastHeard.ContainsKey(nodeId))
            {
                _lastHeard[nodeId] = (now, punch);
            }
        }
    }

    public TimeSpan? LastHeard(ulong nodeId)
    {
        lock (_gate)
        {
            return _lastHeard.TryGetValue(nodeId, out var heard) ? heard.At : null;
        }
    }

    /// <summary>The punched-path flags of the node's latest request, if it came at or after <paramref name="since"/>.</summary>
    public ProbeFlags? PunchSince(ulong nodeId, TimeSpan since)
    {
        lock (_gate)
        {
            return _lastHeard.TryGetValue(nodeId, out var heard) && heard.At >= since ? heard.Punch : null;
        }
    }

    public int HeardSince(TimeSpan since)
    {
        lock (_gate)
        {
            return _lastHeard.Values.Count(heard => heard.At >= since);
        }
    }
}
