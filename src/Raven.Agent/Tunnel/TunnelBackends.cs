using Raven.Agent.Planning;
using Raven.Agent.Tunnel.IPsec;
using Raven.Agent.Tunnel.Vxlan;
using Raven.Agent.Tunnel.WireGuard;

namespace Raven.Agent.Tunnel;

/// <summary>One backend the agent can drive: its name, the names upstream also accepts for it, and how to make it.</summary>
public sealed record TunnelBackendRegistration(
    string Name,
    IReadOnlyList<string> Aliases,
    ITunnelProfile Profile,
    Func<TunnelBackendContext, ITunnelBackend> Create)
{
    /// <summary>The backend cannot run without $VPN_CONNECTION_PSK: the agent refuses to start when it is missing.</summary>
    public bool RequiresPresharedKey { get; init; }
}

/// <summary>
/// The registry behind <c>--vpn-driver</c> / raven-agent-config <c>vpn-driver</c>. Adding a backend is its folder
/// plus one line here.
/// </summary>
public static class TunnelBackends
{
    public static IReadOnlyList<TunnelBackendRegistration> All { get; } =
    [
        new(WireGuardProfile.BackendName, [], WireGuardProfile.Instance, context => OperatingSystem.IsWindows() ? throw Unsupported() : new WireGuardBackend(context)),
        new(VxlanCableProfile.BackendName, [], VxlanCableProfile.Instance, context => OperatingSystem.IsWindows() ? throw Unsupported() : new VxlanCableBackend(context)),
        new(IpsecProfile.BackendName, ["libreswan"], IpsecProfile.Instance, context => OperatingSystem.IsWindows() ? throw Unsupported() : new IpsecBackend(context)) { RequiresPresharedKey = true },
    ];

    public static IEnumerable<string> KnownNames => All.Select(r => r.Name);

    /// <summary>The registration <paramref name="value"/> names (case-insensitive, aliases accepted), or null.</summary>
    public static TunnelBackendRegistration? Find(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var name = value.Trim().ToLowerInvariant();
        return All.FirstOrDefault(r => r.Name == name || r.Aliases.Contains(name));
    }

    /// <summary>Why <paramref name="value"/> selects no backend, naming the value and every known driver.</summary>
    public static string UnknownMessage(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var known = string.Join(", ", All.SelectMany(r => r.Aliases.Select(a => $"{a} (= {r.Name})").Prepend(r.Name)));
        return $"\"{value}\" is not a VPN driver; known drivers: {known}";
    }

    /// <summary>The registration for <paramref name="value"/>; throws <see cref="ArgumentException"/> with <see cref="UnknownMessage"/>.</summary>
    public static TunnelBackendRegistration Get(string value) =>
        Find(value) ?? throw new ArgumentException(UnknownMessage(value), nameof(value));

    private static PlatformNotSupportedException Unsupported() => new("tunnel backends need Linux");
}
