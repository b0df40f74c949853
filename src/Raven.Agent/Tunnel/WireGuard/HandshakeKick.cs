using System.Net;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>
/// Pure: when to start a new peer's handshake again. WireGuard sends a new peer's first initiation at once, and if
/// the remote does not know this node yet (it learns our key from the API a moment later) the initiation is dropped
/// and the next one leaves only REKEY_TIMEOUT (5 s) later: wireguard-go refuses to initiate sooner for the same peer.
/// So a peer that has an endpoint and has never completed a handshake is re-created (removed and added in one UAPI
/// set, which resets that limit and sends a fresh initiation) at <see cref="Schedule"/> after it appeared, until its
/// first handshake completes; then WireGuard's own timers take over. A peer without an endpoint (a NATed remote)
/// cannot initiate and is not tracked; the remote initiates.
/// </summary>
public sealed class HandshakeKick
{
    /// <summary>Offsets from the peer's appearance, doubling: a remote that gets ready after t is reached by about 2t.</summary>
    public static readonly IReadOnlyList<TimeSpan> Schedule = [.. new[] { 150, 300, 600, 1200, 2400, 4800 }.Select(ms => TimeSpan.FromMilliseconds(ms))];

    private readonly Dictionary<WireGuardKey, Pending> _pending = [];
    private readonly Dictionary<WireGuardKey, IPEndPoint> _seen = [];

    public bool HasPending => _pending.Count > 0;

    /// <summary>Follows the desired peers: a peer that is new or got a new endpoint starts its schedule at <paramref name="now"/>.</summary>
    public void Track(IEnumerable<DesiredPeer> peers, TimeSpan now)
    {
        var current = peers.Where(p => p.Endpoint is not null).ToDictionary(p => p.PublicKey, p => p.Endpoint!);
        foreach (var gone in _seen.Keys.Where(k => !current.ContainsKey(k)).ToList())
        {
            _seen.Remove(gone);
            _pending.Remove(gone);
        }

        foreach (var (key, endpoint) in current)
        {
            if (!_seen.TryGetValue(key, out var before) || !before.Equals(endpoint))
            {
                _seen[key] = endpoint;
                _pending[key] = new Pending(now, 0);
            }
        }
    }

    /// <summary>
    /// The peers to re-create now, given the device's peers: those that completed a handshake leave the schedule,
    /// each due one counts one attempt.
    /// </summary>
    public IReadOnlyList<WireGuardKey> Due(IEnumerable<WireGuardPeer> actual, TimeSpan now)
    {
        foreach (var peer in actual.Where(p => p.LastHandshake is not null))
        {
            _pending.Remove(peer.PublicKey);
        }

        var due = new List<WireGuardKey>();
        foreach (var (key, pending) in _pending.ToList())
        {
            if (pending.Attempts >= Schedule.Count)
            {
                _pending.Remove(key);
            }
            else if (now - pending.Since >= Schedule[pending.Attempts])
            {
                due.Add(key);
                _pending[key] = pending with { Attempts = pending.Attempts + 1 };
            }
        }

        return due;
    }

    /// <summary>Remove-then-add of one peer, as one set: a fresh peer object, so WireGuard initiates at once.</summary>
    public static IReadOnlyList<PeerConfig> Recreate(DesiredPeer peer) =>
    [
        new PeerConfig { PublicKey = peer.PublicKey, Remove = true },
        new PeerConfig
        {
            PublicKey = peer.PublicKey,
            PresharedKey = peer.PresharedKey,
            Endpoint = peer.Endpoint,
            PersistentKeepalive = peer.PersistentKeepalive == TimeSpan.Zero ? null : peer.PersistentKeepalive,
            AllowedIPs = [.. peer.AllowedIPs.Distinct()],
        },
    ];

    private sealed record Pending(TimeSpan Since, int Attempts);
}
