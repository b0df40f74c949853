using System.Net;
using Raven.Agent.Engine;
using Raven.Api;
using Raven.Api.V1Beta1;

namespace Raven.Agent.Nat.Wiring;

/// <summary>What NAT discovery asks of this node right now.</summary>
public abstract record NatRole
{
    private NatRole()
    {
    }

    /// <summary>Neither an exposed gateway nor a tunnel endpoint under NAT: nothing runs.</summary>
    public sealed record None(string Why) : NatRole;

    /// <summary>An active tunnel endpoint of an exposed gateway, not under NAT: serves STUN, advertising its public address.</summary>
    public sealed record Responder(IPAddress PublicAddress) : NatRole;

    /// <summary>An active tunnel endpoint under NAT: learns its public endpoint from the exposed gateway's responder.</summary>
    /// <param name="GatewayName">Its Gateway, where the result is published.</param>
    /// <param name="Server">The responder: the exposed gateway's public address, primary STUN port.</param>
    /// <param name="Current">What its spec tunnel endpoint says now.</param>
    public sealed record Discover(string GatewayName, IPEndPoint Server, NatEndpointFields Current) : NatRole;

    /// <summary>
    /// Pure: the role of <paramref name="nodeName"/> among <paramref name="gateways"/>. The responder is the exposed
    /// gateway the planner relays through (lowest name among exposed gateways whose active tunnel endpoint has a
    /// public address and is not under NAT), so every edge asks the same one.
    /// </summary>
    public static NatRole For(IReadOnlyList<Gateway> gateways, string nodeName, int stunPort = StunResponderLayout.DefaultPrimaryPort)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        var local = GatewayEndpoints.LocalGateway(gateways, nodeName);
        if (local is null)
        {
            return new None("the node is in no gateway");
        }

        var active = GatewayEndpoints.TunnelEndpoint(local.Status?.ActiveEndpoints, nodeName);
        if (active is null)
        {
            return new None($"the node is not an active tunnel endpoint of gateway {local.Name}");
        }

        if (!active.UnderNAT)
        {
            return IsExposed(local) && PublicAddressOf(active) is { } own
                ? new Responder(own)
                : new None($"gateway {local.Name} is not under NAT and not exposed");
        }

        var central = gateways
            .Where(IsExposed)
            .Select(g => (Gateway: g, Address: (g.Status?.ActiveEndpoints ?? []).OfType<Endpoint>()
                .Where(e => e.Type == WellKnown.EndpointTypeTunnel && !e.UnderNAT)
                .Select(PublicAddressOf).FirstOrDefault(a => a is not null)))
            .Where(c => c.Address is not null)
            .OrderBy(c => c.Gateway.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (central.Address is null)
        {
            return new None("no exposed gateway with a public tunnel endpoint to ask");
        }

        var spec = GatewayEndpoints.TunnelEndpoint(local.Spec?.Endpoints, nodeName) ?? active;
        if (spec.PublicPort > 0 && string.IsNullOrEmpty(spec.NATType))
        {
            // Discovery always writes natType with publicPort; a port without one is an operator's port forward.
            return new None($"publicPort {spec.PublicPort} of {nodeName} is set by hand (a port forward); discovery leaves it alone");
        }

        return new Discover(local.Name, new IPEndPoint(central.Address, stunPort),
            new NatEndpointFields(string.IsNullOrEmpty(spec.PublicIP) ? null : spec.PublicIP, spec.PublicPort, string.IsNullOrEmpty(spec.NATType) ? null : spec.NATType));
    }

    private static bool IsExposed(Gateway gateway) => !string.IsNullOrEmpty(gateway.Spec?.ExposeType);

    private static IPAddress? PublicAddressOf(Endpoint endpoint) =>
        IPAddress.TryParse(endpoint.PublicIP, out var address) ? address : null;
}
