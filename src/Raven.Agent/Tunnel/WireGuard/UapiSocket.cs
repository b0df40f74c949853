namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>Where wireguard-go and other userspace implementations put their UAPI socket.</summary>
public static class UapiSocket
{
    /// <summary>Hard-coded in wireguard-go; shared by every network namespace on the host.</summary>
    public const string DefaultDirectory = "/var/run/wireguard";

    private const int MaxInterfaceNameLength = 15;

    public static string PathFor(string interfaceName, string socketDirectory = DefaultDirectory)
    {
        ValidateInterfaceName(interfaceName);
        ArgumentException.ThrowIfNullOrWhiteSpace(socketDirectory);
        return Path.Combine(socketDirectory, interfaceName + ".sock");
    }

    /// <summary>Linux limits: 1–15 bytes, no '/', no whitespace, not "." or "..".</summary>
    public static void ValidateInterfaceName(string interfaceName)
    {
        ArgumentNullException.ThrowIfNull(interfaceName);
        var valid = interfaceName.Length is > 0 and <= MaxInterfaceNameLength
            && interfaceName is not "." and not ".."
            && !interfaceName.Any(c => c == '/' || c == ':' || char.IsWhiteSpace(c) || c > 0x7e);
        if (!valid)
        {
            throw new ArgumentException(
                $"Invalid interface name \"{interfaceName}\": 1-{MaxInterfaceNameLength} printable ASCII characters without '/', ':' or spaces.",
                nameof(interfaceName));
        }
    }
}
