namespace Raven.Agent.Tunnel;

/// <summary>Where and how the WireGuard driver runs wireguard-go for one node.</summary>
public sealed record WireGuardDriverOptions
{
    public string InterfaceName { get; init; } = Planning.KernelNames.WireGuardDevice;

    /// <summary>Named network namespace for the daemon; null runs it in the agent's own.</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>Holds the private key file (mode 0600).</summary>
    public required string StateDirectory { get; init; }

    public string Executable { get; init; } = "wireguard-go";

    public string LogFile { get; init; } = "/dev/null";
}
