using System.Globalization;
using System.Net;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>Parses the reply to UAPI <c>get=1</c>: <c>key=value</c> lines, one block per peer, ending in <c>errno=N</c>.</summary>
internal static class UapiParser
{
    /// <exception cref="FormatException">A line or value is malformed; the message names the key and value.</exception>
    /// <exception cref="UapiException">The reply ends in a non-zero errno.</exception>
    public static WireGuardDevice ParseDevice(string reply, string socketPath)
    {
        var device = new WireGuardDevice();
        var peers = new List<WireGuardPeer>();
        PeerBuilder? peer = null;
        int? errno = null;

        foreach (var line in reply.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var separator = line.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                throw new FormatException($"Malformed UAPI line \"{line}\": expected key=value.");
            }

            var key = line[..separator];
            var value = line[(separator + 1)..];
            if (key == "errno")
            {
                errno = ParseInt(key, value);
                break;
            }

            if (key == "public_key")
            {
                FlushPeer();
                peer = new PeerBuilder(WireGuardKey.ParseHex(value));
            }
            else if (peer is not null)
            {
                peer.Apply(key, value);
            }
            else
            {
                device = ApplyDeviceKey(device, key, value);
            }
        }

        FlushPeer();
        if (errno is null)
        {
            throw new FormatException("Truncated UAPI reply: no errno line.");
        }

        if (errno != 0)
        {
            throw new UapiException("get", socketPath, errno.Value);
        }

        return device with { Peers = peers };

        void FlushPeer()
        {
            if (peer is not null)
            {
                peers.Add(peer.Build());
            }
        }
    }

    private static WireGuardDevice ApplyDeviceKey(WireGuardDevice device, string key, string value) => key switch
    {
        "private_key" => WithPrivateKey(device, WireGuardKey.ParseHex(value)),
        "listen_port" => device with { ListenPort = ParseInt(key, value) },
        "fwmark" => device with { FwMark = (int)ParseUInt(key, value) },
        // Unknown device keys come from newer daemons; ignoring them keeps this reader forward compatible.
        _ => device,
    };

    private static WireGuardDevice WithPrivateKey(WireGuardDevice device, WireGuardKey key) =>
        key.IsZero ? device : device with { PrivateKey = key, PublicKey = key.PublicKey() };

    internal static int ParseInt(string key, string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result)
            ? result
            : throw new FormatException($"Invalid UAPI value {key}=\"{value}\": expected an integer.");

    internal static long ParseLong(string key, string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var result)
            ? result
            : throw new FormatException($"Invalid UAPI value {key}=\"{value}\": expected a non-negative integer.");

    private static uint ParseUInt(string key, string value) =>
        uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var result)
            ? result
            : throw new FormatException($"Invalid UAPI value {key}=\"{value}\": expected an unsigned 32-bit integer.");

    private sealed class PeerBuilder(WireGuardKey publicKey)
    {
        private readonly List<IPNetwork> allowedIPs = [];
        private WireGuardPeer peer = new() { PublicKey = publicKey };
        private long handshakeSeconds;
        private long handshakeNanoseconds;

        public void Apply(string key, string value)
        {
            switch (key)
            {
                case "preshared_key":
                    var psk = WireGuardKey.ParseHex(value);
                    peer = peer with { PresharedKey = psk.IsZero ? null : psk };
                    break;
                case "endpoint":
                    peer = peer with { Endpoint = IPEndPoint.TryParse(value, out var endpoint) ? endpoint : throw Invalid(key, value, "an IP:port endpoint") };
                    break;
                case "allowed_ip":
                    allowedIPs.Add(IPNetwork.TryParse(value, out var network) ? network : throw Invalid(key, value, "a CIDR"));
                    break;
                case "persistent_keepalive_interval":
                    peer = peer with { PersistentKeepalive = TimeSpan.FromSeconds(ParseLong(key, value)) };
                    break;
                case "last_handshake_time_sec":
                    handshakeSeconds = ParseLong(key, value);
                    break;
                case "last_handshake_time_nsec":
                    handshakeNanoseconds = ParseLong(key, value);
                    break;
                case "rx_bytes":
                    peer = peer with { RxBytes = ParseLong(key, value) };
                    break;
                case "tx_bytes":
                    peer = peer with { TxBytes = ParseLong(key, value) };
                    break;
                case "protocol_version":
                    peer = peer with { ProtocolVersion = ParseInt(key, value) };
                    break;
                default:
                    break;
            }
        }

        public WireGuardPeer Build()
        {
            DateTimeOffset? handshake = handshakeSeconds == 0 && handshakeNanoseconds == 0
                ? null
                : DateTimeOffset.FromUnixTimeSeconds(handshakeSeconds).AddTicks(handshakeNanoseconds / 100);
            return peer with { AllowedIPs = allowedIPs.ToArray(), LastHandshake = handshake };
        }

        private static FormatException Invalid(string key, string value, string expected) =>
            new($"Invalid UAPI value {key}=\"{value}\": expected {expected}.");
    }
}
