using Raven.Lab.Topology;

namespace Raven.Lab.Run;

/// <summary>The `raven agent` arguments for one lab node.</summary>
public static class LabAgent
{
    public const string DefaultVpnDriver = "wireguard";

    public const string PresharedKeyVariable = "VPN_CONNECTION_PSK";

    /// <summary>A per-lab random pre-shared key (IPsec requires one; WireGuard derives its preshared key from it).</summary>
    public static string NewPresharedKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Short lease so the lab shows lease-based failover in seconds; a WireGuard interface name per node because
    /// wireguard-go's UAPI socket directory is shared by every namespace on the machine.
    /// </summary>
    public static IReadOnlyList<string> Arguments(LabNode node, LabPaths paths, string interfacePrefix, string vpnDriver = DefaultVpnDriver) =>
    [
        "agent",
        "--vpn-driver", vpnDriver,
        "--node-name", node.NodeName,
        "--node-ip", node.LanAddress.ToString(),
        "--kubeconfig", paths.SocketKubeconfig,
        "--state-dir", paths.NodeState(node.NodeName),
        "--wireguard-interface", interfacePrefix + node.LabName,
        "--metric-bind-addr", "127.0.0.1:10265",
        "--health-probe-addr", "127.0.0.1:10275",
        "--lease-duration", "6s",
        "--keep-alive-interval", "5",
        "--sync-raven-rules-period", "30s",
        "--proxy-allowed-source-cidrs", "192.168.0.0/24",
        "--proxy-cluster-ca-file", paths.ApiCaCertificate,
        "--proxy-csr-as-node", "true",
    ];
}
