using Raven.Api.Net;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Raven.Agent.Planning;
using Raven.Api;
using Raven.Api.V1Beta1;

namespace Raven.Agent.Tests.Planning;

/// <summary>Gateways as the controller writes them, built tersely. Public addresses are from TEST-NETs only.</summary>
internal static class Fixtures
{
    public static readonly PlannerOptions Options = new();

    public static NetworkPlan Plan(string nodeName, params Gateway[] gateways) =>
        new Planner().Plan(gateways, new LocalNode(nodeName, null), Options);

    public static NetworkPlan Plan(string nodeName, PlannerOptions options, params Gateway[] gateways) =>
        new Planner().Plan(gateways, new LocalNode(nodeName, null), options);

    public static Gateway Gateway(string name, Endpoint? tunnel, params NodeInfo[] nodes) => new()
    {
        Metadata = new() { Name = name },
        Status = new() { Nodes = [.. nodes], ActiveEndpoints = tunnel is null ? null : [tunnel] },
    };

    public static Gateway Exposed(this Gateway gateway)
    {
        gateway.Spec.ExposeType = WellKnown.ExposeTypePublicIP;
        return gateway;
    }

    public static NodeInfo Node(string name, string privateIp, params string[] subnets) =>
        new() { NodeName = name, PrivateIP = privateIp, Subnets = [.. subnets] };

    public static Endpoint TunnelEndpoint(string nodeName, string? publicIp, bool underNat = false, int publicPort = 0, bool withKey = true) => new()
    {
        NodeName = nodeName,
        Type = WellKnown.EndpointTypeTunnel,
        Port = WellKnown.TunnelServerExposedPort,
        PublicIP = publicIp,
        UnderNAT = underNat,
        PublicPort = publicPort,
        Config = withKey ? new() { ["publicKey"] = KeyOf(nodeName), [WellKnown.EnableL3TunnelKey] = "true" } : null,
    };

    /// <summary>A valid-looking WireGuard public key, stable per node name.</summary>
    public static string KeyOf(string nodeName) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(nodeName)));

    /// <summary>An endpoint config that publishes <see cref="KeyOf"/> of the node.</summary>
    public static EndpointConfig KeyConfig(string nodeName) =>
        EndpointConfig.From(new Dictionary<string, string> { ["publicKey"] = KeyOf(nodeName) });

    /// <summary>The config <see cref="TunnelEndpoint"/> publishes with a key, as the plan carries it.</summary>
    public static EndpointConfig ActiveConfig(string nodeName) =>
        EndpointConfig.From(new Dictionary<string, string> { ["publicKey"] = KeyOf(nodeName), [WellKnown.EnableL3TunnelKey] = "true" });

    public static Cidr C(string text) => Cidr.Parse(text);

    public static IPAddress Ip(string text) => IPAddress.Parse(text);

    /// <summary>Cloud (exposed, public) with a member, and two edges under NAT without a known public port.</summary>
    public static Gateway[] CloudAndTwoNatedEdges(bool secondEdgeDialable = false) =>
    [
        Gateway("cloud", TunnelEndpoint("cloud-gw", "203.0.113.10"),
            Node("cloud-gw", "172.16.0.10", "10.244.0.0/24"), Node("cloud-w1", "172.16.0.11", "10.244.1.0/24")).Exposed(),
        Gateway("edge1", TunnelEndpoint("edge1-gw", "198.51.100.20", underNat: true),
            Node("edge1-gw", "192.168.1.10", "10.244.10.0/24"), Node("edge1-w1", "192.168.1.11", "10.244.11.0/24")),
        Gateway("edge2", secondEdgeDialable ? TunnelEndpoint("edge2-gw", "198.51.100.30") : TunnelEndpoint("edge2-gw", "198.51.100.30", underNat: true),
            Node("edge2-gw", "192.168.2.10", "10.244.20.0/24"), Node("edge2-w1", "192.168.2.11", "10.244.21.0/24")),
    ];
}
