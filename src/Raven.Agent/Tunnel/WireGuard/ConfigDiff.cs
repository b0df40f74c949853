using System.Net;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>
/// Computes the smallest UAPI <c>set=1</c> message that turns the actual device into the desired one.
/// Unchanged peers are not mentioned, so their sessions keep running; changed peers are sent with
/// <c>update_only</c> and only the fields that differ; peers that are not desired are removed one by one.
/// </summary>
public static class ConfigDiff
{
    /// <exception cref="ArgumentException">Two desired peers share a public key, or a keepalive is not whole seconds.</exception>
    public static DeviceConfig Compute(DesiredDevice desired, WireGuardDevice actual)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(actual);
        var desiredByKey = IndexDesired(desired.Peers);
        var actualByKey = actual.Peers.ToDictionary(p => p.PublicKey);

        var peers = new List<PeerConfig>();
        peers.AddRange(actual.Peers
            .Where(p => !desiredByKey.ContainsKey(p.PublicKey))
            .Select(p => new PeerConfig { PublicKey = p.PublicKey, Remove = true }));

        foreach (var peer in desired.Peers)
        {
            var change = actualByKey.TryGetValue(peer.PublicKey, out var current) ? Update(peer, current) : Add(peer);
            if (change is not null)
            {
                peers.Add(change);
            }
        }

        return new DeviceConfig
        {
            PrivateKey = Equals(desired.PrivateKey, actual.PrivateKey) ? null : desired.PrivateKey,
            ListenPort = desired.ListenPort is { } port && port != actual.ListenPort ? port : null,
            FwMark = desired.FwMark is { } mark && mark != actual.FwMark ? mark : null,
            Peers = peers,
        };
    }

    private static Dictionary<WireGuardKey, DesiredPeer> IndexDesired(IReadOnlyList<DesiredPeer> peers)
    {
        var index = new Dictionary<WireGuardKey, DesiredPeer>();
        foreach (var peer in peers)
        {
            UapiWriter.KeepaliveSeconds(peer.PersistentKeepalive);
            if (!index.TryAdd(peer.PublicKey, peer))
            {
                throw new ArgumentException($"Desired WireGuard peer {peer.PublicKey} is listed twice.", nameof(peers));
            }
        }

        return index;
    }

    private static PeerConfig Add(DesiredPeer peer) => new()
    {
        PublicKey = peer.PublicKey,
        PresharedKey = peer.PresharedKey,
        Endpoint = peer.Endpoint,
        PersistentKeepalive = peer.PersistentKeepalive == TimeSpan.Zero ? null : peer.PersistentKeepalive,
        AllowedIPs = Distinct(peer.AllowedIPs),
    };

    private static PeerConfig? Update(DesiredPeer peer, WireGuardPeer current)
    {
        var presharedKey = peer.PresharedKey is { IsZero: false } ? peer.PresharedKey : null;
        var pskChanged = !Equals(presharedKey, current.PresharedKey);
        var endpointChanged = peer.Endpoint is not null && !peer.Endpoint.Equals(current.Endpoint);
        var keepaliveChanged = peer.PersistentKeepalive != current.PersistentKeepalive;
        var allowedIPsChanged = !Distinct(peer.AllowedIPs).ToHashSet().SetEquals(current.AllowedIPs);
        if (!pskChanged && !endpointChanged && !keepaliveChanged && !allowedIPsChanged)
        {
            return null;
        }

        return new PeerConfig
        {
            PublicKey = peer.PublicKey,
            UpdateOnly = true,
            PresharedKey = pskChanged ? presharedKey ?? WireGuardKey.Zero : null,
            Endpoint = endpointChanged ? peer.Endpoint : null,
            PersistentKeepalive = keepaliveChanged ? peer.PersistentKeepalive : null,
            ReplaceAllowedIPs = allowedIPsChanged,
            AllowedIPs = allowedIPsChanged ? Distinct(peer.AllowedIPs) : [],
        };
    }

    private static IPNetwork[] Distinct(IReadOnlyList<IPNetwork> networks) => networks.Distinct().ToArray();
}
