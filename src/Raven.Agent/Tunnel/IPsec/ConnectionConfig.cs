using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>A spec rendered for charon: the load-conn section and the CHILD_SA name that fingerprints it.</summary>
public sealed record WantedConnection(IpsecConnectionSpec Spec, string ChildName, ViciSection Config)
{
    public string Name => Spec.Name;
}

/// <summary>
/// Renders an <see cref="IpsecConnectionSpec"/> as a VICI load-conn section (the keys of swanctl.conf(5)'s
/// connections.&lt;conn&gt;). list-conns does not echo proposals, ports, encap or start actions, so the CHILD_SA is
/// named after a digest of the whole rendered config: charon itself then tells whether what it runs is what is
/// wanted, also after an agent restart.
/// </summary>
public static class ConnectionConfig
{
    /// <summary>IKE: AES-GCM-128, PRF SHA-256, X25519 (provided by the openssl plugin in Debian's build).</summary>
    public const string IkeProposal = "aes128gcm16-prfsha256-x25519";

    /// <summary>ESP: AES-GCM-128, no PFS on rekey (keeps a CHILD rekey a single cheap exchange).</summary>
    public const string EspProposal = "aes128gcm16";

    public const string ChildPrefix = "tunnel-";

    private const int DigestHexLength = 12;

    public static WantedConnection Render(IpsecConnectionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = spec.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"IPsec connection {spec.Name}: {string.Join("; ", problems)}.", nameof(spec));
        }

        var child = Child(spec);
        var digest = Digest(Connection(spec, ChildPrefix, child));
        var childName = ChildPrefix + digest;
        return new WantedConnection(spec, childName, Connection(spec, childName, child));
    }

    private static ViciSection Connection(IpsecConnectionSpec spec, string childName, ViciSection child)
    {
        var config = new ViciSection()
            .Add("version", "2")
            .Add("local_addrs", [Address(spec.LocalAddress)])
            .Add("remote_addrs", [Address(spec.RemoteAddress)])
            .Add("remote_port", spec.RemotePort.ToString(CultureInfo.InvariantCulture))
            .Add("encap", spec.ForceEncapsulation ? "yes" : "no")
            // Raven owns the endpoints; MOBIKE would move SAs on its own whenever an address appears.
            .Add("mobike", "no")
            // 0 = keep trying forever; VICI's default of 1 would give up after one failed attempt.
            .Add("keyingtries", "0")
            .Add("proposals", [IkeProposal]);
        if (spec.DpdDelay > TimeSpan.Zero)
        {
            config.Add("dpd_delay", Seconds(spec.DpdDelay));
        }

        config
            .Add("local", new ViciSection().Add("auth", "psk").Add("id", spec.LocalId))
            .Add("remote", new ViciSection().Add("auth", "psk").Add("id", spec.RemoteId))
            .Add("children", new ViciSection().Add(childName, child));
        return config;
    }

    private static ViciSection Child(IpsecConnectionSpec spec)
    {
        var initiator = spec.Role == IpsecRole.Initiator;
        return new ViciSection()
            .Add("local_ts", spec.LocalSubnets.Select(Cidr))
            .Add("remote_ts", spec.RemoteSubnets.Select(Cidr))
            .Add("esp_proposals", [EspProposal])
            .Add("mode", "tunnel")
            .Add("start_action", initiator ? "start" : "none")
            // An initiator brings the SA back itself; a responder drops it and waits for the peer to come back.
            .Add("dpd_action", initiator ? "restart" : "clear")
            .Add("close_action", initiator ? "restart" : "none");
    }

    private static string Digest(ViciSection config)
    {
        var hash = SHA256.HashData(ViciMessageCodec.Encode(config));
        return Convert.ToHexStringLower(hash)[..DigestHexLength];
    }

    private static string Address(IPAddress? address) => address?.ToString() ?? "%any";

    private static string Cidr(IPNetwork network) => network.ToString();

    private static string Seconds(TimeSpan span) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (long)Math.Ceiling(span.TotalSeconds))}s");
}
