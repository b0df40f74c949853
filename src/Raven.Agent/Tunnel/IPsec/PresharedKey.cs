using System.Security.Cryptography;
using System.Text;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// The cluster-wide IKE pre-shared key, taken from <c>VPN_CONNECTION_PSK</c> as upstream does (so a Raven gateway
/// and an upstream one can authenticate each other). There is no default: without it the IPsec backend refuses to
/// start. charon holds it under an id derived from a hash, so get-shared shows whether the loaded key is current
/// without charon ever returning the secret.
/// </summary>
public sealed class PresharedKey
{
    public const string EnvironmentVariable = "VPN_CONNECTION_PSK";

    public const string IdPrefix = "raven-psk-";

    /// <summary>Where upstream's chart keeps the key (the DaemonSet maps it to <see cref="EnvironmentVariable"/>).</summary>
    public const string SecretName = "raven-agent-secret";

    public const string SecretKey = "vpn-connection-psk";

    private PresharedKey(string secret)
    {
        Secret = secret;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        Id = IdPrefix + Convert.ToHexStringLower(hash)[..16];
    }

    /// <summary>The secret as charon gets it (load-shared data).</summary>
    public string Secret { get; }

    /// <summary>The load-shared id under which charon holds this secret.</summary>
    public string Id { get; }

    /// <summary>The one-line reason the IPsec backend refuses to run without the key.</summary>
    public const string MissingMessage =
        EnvironmentVariable + " is not set: the IPsec backend needs the cluster's pre-shared key " +
        "(upstream's chart puts it in Secret " + SecretName + ", key " + SecretKey + ")";

    /// <exception cref="IpsecConfigurationException">The value is empty.</exception>
    public static PresharedKey From(string? secret) =>
        string.IsNullOrEmpty(secret) ? throw new IpsecConfigurationException(MissingMessage + ".") : new PresharedKey(secret);

    /// <exception cref="IpsecConfigurationException"><c>VPN_CONNECTION_PSK</c> is missing or empty.</exception>
    public static PresharedKey FromEnvironment() => From(Environment.GetEnvironmentVariable(EnvironmentVariable));

    public override string ToString() => Id;
}

/// <summary>The IPsec backend cannot run with the configuration it was given; the message names the setting.</summary>
public sealed class IpsecConfigurationException : Exception
{
    public IpsecConfigurationException()
    {
    }

    public IpsecConfigurationException(string message)
        : base(message)
    {
    }

    public IpsecConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
