using Raven.Api.V1Beta1;
using k8s.Models;

namespace Raven.Agent.Engine;

/// <summary>What the agent plans from, at one moment.</summary>
/// <param name="AgentConfig">kube-system/raven-agent-config data; empty when the ConfigMap does not exist.</param>
/// <param name="TunnelServices">kube-system Services labelled raven.openyurt.io/gateway-type=tunnel (LB public IPs).</param>
public sealed record AgentSnapshot(
    IReadOnlyList<Gateway> Gateways,
    IReadOnlyDictionary<string, string> AgentConfig,
    IReadOnlyList<V1Service> TunnelServices)
{
    public static AgentSnapshot Empty { get; } = new([], new Dictionary<string, string>(), []);
}

/// <summary>The agent's view of the cluster: a current snapshot plus a signal when anything in it changed.</summary>
public interface IAgentInputs
{
    /// <summary>Raised after the snapshot changed; may be raised on any thread and more often than needed.</summary>
    event EventHandler? Changed;

    AgentSnapshot Current { get; }

    /// <summary>
    /// Null while <see cref="Current"/> is fresh; otherwise why it may be stale or incomplete (a watch that lost the
    /// API server). The engine then keeps the data plane of the last fresh snapshot (last-known-good) and never
    /// removes a working path on such inputs. Raise <see cref="Changed"/> when this changes.
    /// </summary>
    string? StaleReason { get; }

    /// <summary>Completes when the first full snapshot is available.</summary>
    Task WaitForSyncAsync(CancellationToken cancellationToken);
}

/// <summary>Writes that belong in the API: this node's WireGuard public key and public IP on its tunnel endpoint.</summary>
public interface IGatewayPublisher
{
    /// <summary>Sets spec.endpoints[nodeName, tunnel].config["publicKey"]; false when nothing had to change.</summary>
    Task<bool> PublishPublicKeyAsync(string gatewayName, string nodeName, string publicKey, CancellationToken cancellationToken);

    /// <summary>
    /// Sets every entry of <paramref name="config"/> in spec.endpoints[nodeName, tunnel].config (the backend's
    /// published config and the VPN driver), leaving other keys alone; false when nothing had to change.
    /// </summary>
    Task<bool> PublishConfigAsync(string gatewayName, string nodeName, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken);

    /// <summary>Sets spec.endpoints[nodeName, tunnel].publicIP only when it is empty; false when nothing changed.</summary>
    Task<bool> PublishPublicIpAsync(string gatewayName, string nodeName, string publicIp, CancellationToken cancellationToken);

    /// <summary>
    /// Sets what NAT discovery learned on spec.endpoints[nodeName, tunnel]: publicPort, natType, and publicIP when
    /// given; false when nothing had to change.
    /// </summary>
    Task<bool> PublishNatFieldsAsync(string gatewayName, string nodeName, Nat.NatEndpointFields fields, CancellationToken cancellationToken);
}
