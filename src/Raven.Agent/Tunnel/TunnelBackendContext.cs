using Microsoft.Extensions.Logging;
using Raven.Agent.Linux;

namespace Raven.Agent.Tunnel;

/// <summary>Everything a backend may need to start, independent of which backend it is.</summary>
public sealed record TunnelBackendContext
{
    /// <summary>The tunnel device (WireGuard's interface; agents sharing a machine need distinct names).</summary>
    public required string InterfaceName { get; init; }


    /// <summary>Persistent state (WireGuard's private key, charon's files).</summary>
    public required string StateDirectory { get; init; }

    /// <summary>This node's name (IPsec: its IKE identity is <c>@node</c>; the VXLAN cable derives its MAC from it); empty when the backend only cleans up.</summary>
    public string NodeName { get; init; } = "";

    /// <summary>The node's network namespace; null: the agent's own.</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>$VPN_CONNECTION_PSK; WireGuard derives its preshared key from it, IPsec requires it.</summary>
    public string? PresharedKeySecret { get; init; }

    public int ListenPort { get; init; } = Planning.KernelNames.WireGuardListenPort;

    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public required NetlinkReconciler Reconciler { get; init; }

    public ILoggerFactory? Loggers { get; init; }
}
