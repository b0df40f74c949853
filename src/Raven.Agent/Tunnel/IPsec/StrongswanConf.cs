using System.Globalization;
using System.Text;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// Renders the agent's private strongswan.conf (charon reads the file named by STRONGSWAN_CONF). Pure: the same
/// options give the same text, so the supervisor rewrites the file only when it changes.
/// </summary>
public static class StrongswanConf
{
    /// <summary>Crypto for PSK IKEv2 with AES-GCM and X25519 (openssl), the socket, VICI; no certificate plugins.</summary>
    private const string CommonPlugins = "random nonce openssl aes sha1 sha2 hmac gcm kdf";

    /// <summary>Any packet carries a mark that "not fwmark 0/0" rejects: a rule charon adds with this never matches.</summary>
    public const string NeverMatchingMark = "!0/0";

    public static string Render(CharonOptions options, bool libipsec)
    {
        ArgumentNullException.ThrowIfNull(options);
        // kernel-libipsec must come first so it, not kernel-netlink, becomes the IPsec backend; kernel-netlink still
        // provides addresses, routes and the IKE sockets' bypass.
        var kernel = libipsec ? "kernel-libipsec kernel-netlink" : "kernel-netlink";
        var text = new StringBuilder();
        text.Append("# Written by the Raven agent for its own charon; changes are overwritten.\n");
        text.Append("charon {\n");
        text.Append("  load_modular = no\n");
        text.Append(CultureInfo.InvariantCulture, $"  load = {CommonPlugins} {kernel} socket-default vici\n");
        // No IKE on 500: peers talk to the tunnel port directly (upstream's --ikeport), with the non-ESP marker.
        text.Append("  port = 0\n");
        text.Append(CultureInfo.InvariantCulture, $"  port_nat_t = {options.Port}\n");
        text.Append("  install_routes = no\n");
        text.Append("  install_virtual_ip = no\n");
        if (libipsec)
        {
            // kernel-libipsec installs a route per CHILD_SA whatever install_routes says; park them in a table that
            // no rule selects (see plugins.kernel-netlink.fwmark) so only Raven's table 9028 routes traffic.
            text.Append(CultureInfo.InvariantCulture, $"  routing_table = {options.LibipsecRouteTable}\n");
            text.Append(CultureInfo.InvariantCulture, $"  routing_table_prio = {options.LibipsecRouteTable}\n");
        }
        else
        {
            text.Append("  routing_table = 0\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  keep_alive = {WholeSeconds(options.NatKeepalive)}s\n");
        if (options.DeadPeerTimeout > TimeSpan.Zero)
        {
            // Linear retries: sent at 0, t and 2t, given up at 3t = the timeout.
            var timeout = Math.Max(1.0, options.DeadPeerTimeout.TotalSeconds / 3);
            text.Append("  retransmit_base = 1.0\n");
            text.Append(CultureInfo.InvariantCulture, $"  retransmit_timeout = {timeout:0.###}\n");
            text.Append("  retransmit_tries = 2\n");
        }

        text.Append("  plugins {\n");
        text.Append(CultureInfo.InvariantCulture, $"    vici {{\n      socket = \"unix://{options.SocketPath}\"\n    }}\n");
        if (libipsec)
        {
            text.Append(CultureInfo.InvariantCulture, $"    kernel-netlink {{\n      fwmark = {NeverMatchingMark}\n    }}\n");
        }

        text.Append("  }\n");
        text.Append("  filelog {\n");
        text.Append("    raven {\n");
        text.Append(CultureInfo.InvariantCulture, $"      path = \"{options.LogPath}\"\n");
        text.Append("      time_format = %Y-%m-%dT%H:%M:%S\n");
        text.Append("      append = no\n");
        text.Append("      flush_line = yes\n");
        // Control level, without the per-packet network and encoding lines.
        text.Append("      default = 1\n");
        text.Append("      net = 0\n");
        text.Append("      enc = 0\n");
        text.Append("    }\n");
        text.Append("  }\n");
        text.Append("}\n");
        return text.ToString();
    }

    private static long WholeSeconds(TimeSpan span) => Math.Max(1, (long)Math.Ceiling(span.TotalSeconds));
}
