using Raven.Api.V1Beta1;
using k8s.Models;

namespace Raven.Agent.Engine;

/// <summary>
/// Inputs kept in memory, for tests and the lab: callers replace Gateways as the controller would. Writes through
/// <see cref="IGatewayPublisher"/> land in the same store (spec endpoint and its active copy in status), so several
/// in-process engines see each other's public keys like they would through the API server.
/// </summary>
public sealed class InMemoryAgentInputs : IAgentInputs, IGatewayPublisher
{
    private readonly Lock _gate = new();
    private AgentSnapshot _current = AgentSnapshot.Empty;

    public event EventHandler? Changed;

    public AgentSnapshot Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public string? StaleReason { get; private set; }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Plays an informer that lost the API server (reason) or got it back (null).</summary>
    public void SetStale(string? reason)
    {
        StaleReason = reason;
        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Empties the store, as a cache that lost its objects would.</summary>
    public void Clear() => Update(_ => AgentSnapshot.Empty);

    /// <summary>Replaces (or adds) Gateways by name; objects are cloned so callers may keep mutating theirs.</summary>
    public void SetGateways(params Gateway[] gateways) => Update(s =>
    {
        var byName = s.Gateways.ToDictionary(g => g.Name, StringComparer.Ordinal);
        foreach (var gateway in gateways)
        {
            byName[gateway.Name] = gateway.Clone();
        }

        return s with { Gateways = byName.Values.OrderBy(g => g.Name, StringComparer.Ordinal).ToList() };
    });

    /// <summary>Changes one Gateway in place (a clone), as a controller's status update would.</summary>
    public void Mutate(string gatewayName, Action<Gateway> mutate) => Update(s => s with
    {
        Gateways = s.Gateways.Select(g =>
        {
            if (g.Name != gatewayName)
            {
                return g;
            }

            var copy = g.Clone();
            mutate(copy);
            return copy;
        }).ToList(),
    });

    public void SetAgentConfig(IReadOnlyDictionary<string, string> data) => Update(s => s with { AgentConfig = new Dictionary<string, string>(data) });

    public void SetTunnelServices(params V1Service[] services) => Update(s => s with { TunnelServices = services.ToList() });

    public Gateway? Get(string name) => Current.Gateways.FirstOrDefault(g => g.Name == name)?.Clone();

    public Task<bool> PublishPublicKeyAsync(string gatewayName, string nodeName, string publicKey, CancellationToken cancellationToken) =>
        Task.FromResult(Publish(gatewayName, nodeName, e => GatewayEndpoints.SetPublicKey(e, publicKey)));

    public Task<bool> PublishConfigAsync(string gatewayName, string nodeName, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken) =>
        Task.FromResult(Publish(gatewayName, nodeName, e => GatewayEndpoints.SetConfig(e, config)));

    public Task<bool> PublishPublicIpAsync(string gatewayName, string nodeName, string publicIp, CancellationToken cancellationToken) =>
        Task.FromResult(Publish(gatewayName, nodeName, e => GatewayEndpoints.SetPublicIpIfEmpty(e, publicIp)));

    public Task<bool> PublishNatFieldsAsync(string gatewayName, string nodeName, Nat.NatEndpointFields fields, CancellationToken cancellationToken) =>
        Task.FromResult(Publish(gatewayName, nodeName, e => GatewayEndpoints.SetNatFields(e, fields)));

    private bool Publish(string gatewayName, string nodeName, Func<Endpoint, bool> change)
    {
        var changed = false;
        Update(s => s with
        {
            Gateways = s.Gateways.Select(g =>
            {
                if (g.Name != gatewayName)
                {
                    return g;
                }

                var copy = g.Clone();
                var spec = GatewayEndpoints.TunnelEndpoint(copy.Spec.Endpoints, nodeName);
                changed = spec is not null && change(spec);
                if (GatewayEndpoints.TunnelEndpoint(copy.Status.ActiveEndpoints, nodeName) is { } active)
                {
                    // What the controller does on its next pass: the active endpoint is a copy of the spec endpoint.
                    changed |= change(active);
                }

                return copy;
            }).ToList(),
        });
        return changed;
    }

    private void Update(Func<AgentSnapshot, AgentSnapshot> change)
    {
        lock (_gate)
        {
            _current = change(_current);
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }
}
