namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>Where and how the WireGuard backend runs wireguard-go for one node.</summary>
public sealed record WireGuardBackendOptions
{
    public string InterfaceName { get; init; } = Planning.KernelNames.WireGuardDevice;

    /// <summary>Named network namespace for the daemon; null runs it in the agent's own.</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>Holds the private key file (mode 0600).</summary>
    public required string StateDirectory { get; init; }

    public string Executable { get; init; } = "wireguard-go";

    public string LogFile { get; init; } = "/dev/null";

    /// <summary>Preshared key of every peer; null for none.</summary>
    public WireGuardKey? PresharedKey { get; init; }

    /// <summary>Upstream's derivation from $VPN_CONNECTION_PSK: SHA-256 of the UTF-8 text.</summary>
    public static WireGuardKey? PresharedKeyFrom(string? secret) =>
        string.IsNullOrEmpty(secret) ? null
        : WireGuardKey.FromBytes(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));
}

