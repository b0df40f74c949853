using System.Globalization;
using System.Text;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>Renders a <see cref="DeviceConfig"/> as a UAPI <c>set=1</c> request, keys in hex.</summary>
internal static class UapiWriter
{
    public static string WriteSet(DeviceConfig config)
    {
        var text = new StringBuilder("set=1\n");
        if (config.PrivateKey is { } privateKey)
        {
            Append(text, "private_key", privateKey.ToHex());
        }

        if (config.ListenPort is { } port)
        {
            Append(text, "listen_port", CheckRange("listen_port", port, 0, ushort.MaxValue));
        }

        if (config.FwMark is { } mark)
        {
            Append(text, "fwmark", ((uint)mark).ToString(CultureInfo.InvariantCulture));
        }

        foreach (var peer in config.Peers)
        {
            WritePeer(text, peer);
        }

        return text.Append('\n').ToString();
    }

    private static void WritePeer(StringBuilder text, PeerConfig peer)
    {
        Append(text, "public_key", peer.PublicKey.ToHex());
        if (peer.Remove)
        {
            Append(text, "remove", "true");
            return;
        }

        if (peer.UpdateOnly)
        {
            Append(text, "update_only", "true");
        }

        if (peer.PresharedKey is { } psk)
        {
            Append(text, "preshared_key", psk.ToHex());
        }

        if (peer.Endpoint is { } endpoint)
        {
            Append(text, "endpoint", endpoint.ToString());
        }

        if (peer.PersistentKeepalive is { } keepalive)
        {
            Append(text, "persistent_keepalive_interval", KeepaliveSeconds(keepalive));
        }

        if (peer.ReplaceAllowedIPs)
        {
            Append(text, "replace_allowed_ips", "true");
        }

        foreach (var network in peer.AllowedIPs)
        {
            Append(text, "allowed_ip", network.ToString());
        }
    }

    internal static string KeepaliveSeconds(TimeSpan keepalive)
    {
        if (keepalive.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException($"persistent_keepalive_interval {keepalive} must be whole seconds.", nameof(keepalive));
        }

        return CheckRange("persistent_keepalive_interval", (int)keepalive.TotalSeconds, 0, ushort.MaxValue);
    }

    private static string CheckRange(string key, int value, int min, int max) =>
        value >= min && value <= max
            ? value.ToString(CultureInfo.InvariantCulture)
            : throw new ArgumentOutOfRangeException(key, value, $"{key} must be between {min} and {max}.");

    private static void Append(StringBuilder text, string key, string value) =>
        text.Append(key).Append('=').Append(value).Append('\n');
}
