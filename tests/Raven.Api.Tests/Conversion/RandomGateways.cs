using Alpha = Raven.Api.V1Alpha1;
using Beta = Raven.Api.V1Beta1;

namespace Raven.Api.Tests.Conversion;

/// <summary>Generators for property-style tests: every optional field is sometimes set, sometimes not.</summary>
internal static class RandomGateways
{
    private static readonly string[] Types = ["tunnel", "proxy"];
    private static readonly string[] ExposeTypes = ["", "PublicIP", "LoadBalancer"];

    public static Beta.Gateway Beta(Random random, int id) => new()
    {
        Metadata = Meta(random, id),
        Spec = new Beta.GatewaySpec
        {
            NodeSelector = random.Next(2) == 0 ? null : new() { MatchLabels = new() { ["raven.openyurt.io/gateway"] = $"gw-{id}" } },
            ProxyConfig = new Beta.ProxyConfiguration { Replicas = random.Next(0, 3), ProxyHTTPPort = Maybe(random, "10255,9445"), ProxyHTTPSPort = Maybe(random, "10250") },
            TunnelConfig = new Beta.TunnelConfiguration { Replicas = random.Next(0, 2) },
            Endpoints = random.Next(4) == 0 ? null : Enumerable.Range(0, random.Next(0, 5)).Select(_ => BetaEndpoint(random)).ToList(),
            ExposeType = Maybe(random, ExposeTypes[random.Next(ExposeTypes.Length)]),
        },
        Status = new Beta.GatewayStatus
        {
            Nodes = random.Next(3) == 0 ? null : [new Beta.NodeInfo { NodeName = $"n{random.Next(9)}", PrivateIP = "10.0.0.1", Subnets = ["10.244.1.0/24"] }],
            ActiveEndpoints = random.Next(3) == 0 ? null : Enumerable.Range(0, random.Next(1, 3)).Select(_ => BetaEndpoint(random)).ToList(),
            ObservedGeneration = random.Next(3),
        },
    };

    public static Alpha.Gateway Alpha(Random random, int id) => new()
    {
        Metadata = Meta(random, id),
        Spec = new Alpha.GatewaySpec
        {
            NodeSelector = random.Next(2) == 0 ? null : new() { MatchLabels = new() { ["raven.openyurt.io/gateway"] = $"gw-{id}" } },
            Endpoints = random.Next(4) == 0 ? null : Enumerable.Range(0, random.Next(0, 4)).Select(_ => AlphaEndpoint(random)).ToList(),
            ExposeType = Maybe(random, "LoadBalancer"),
        },
        Status = new Alpha.GatewayStatus
        {
            ActiveEndpoint = random.Next(2) == 0 ? null : AlphaEndpoint(random),
            Nodes = random.Next(2) == 0 ? null : [new Alpha.NodeInfo { NodeName = "n1", PrivateIP = "10.0.0.2", Subnets = [] }],
        },
    };

    private static Meta.ObjectMeta Meta(Random random, int id) => new()
    {
        Name = $"gw-{id}",
        ResourceVersion = random.Next(2) == 0 ? null : random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        Annotations = random.Next(3) == 0 ? new() { ["note"] = "kept" } : null,
        Labels = random.Next(3) == 0 ? new() { ["zone"] = "east" } : null,
    };

    private static Beta.Endpoint BetaEndpoint(Random random) => new()
    {
        NodeName = $"n{random.Next(4)}",
        Type = Types[random.Next(2)],
        Port = random.Next(3) == 0 ? 0 : random.Next(1, 65536),
        UnderNAT = random.Next(2) == 0,
        NATType = Maybe(random, "Symmetric NAT"),
        PublicIP = Maybe(random, $"198.51.100.{random.Next(1, 255)}"),
        PublicPort = random.Next(2) == 0 ? 0 : random.Next(1, 65536),
        Config = random.Next(2) == 0 ? null : new() { ["publicKey"] = $"key{random.Next(9)}" },
    };

    private static Alpha.Endpoint AlphaEndpoint(Random random) => new()
    {
        NodeName = $"n{random.Next(4)}",
        UnderNAT = random.Next(2) == 0,
        PublicIP = Maybe(random, $"192.0.2.{random.Next(1, 255)}"),
        Config = random.Next(2) == 0 ? null : new() { ["publicKey"] = "k" },
    };

    private static string? Maybe(Random random, string value) => random.Next(2) == 0 ? null : value;
}
