using Raven.Api;
using Raven.Api.V1Beta1;

namespace Raven.Api.Tests;

/// <summary>Small fluent helpers so each test states only what matters to it.</summary>
internal static class GatewayBuilder
{
    public static Gateway Valid(string name = "gw-hangzhou") => new()
    {
        Metadata = new() { Name = name },
        Spec = new GatewaySpec
        {
            ProxyConfig = new ProxyConfiguration { Replicas = 1 },
            TunnelConfig = new TunnelConfiguration { Replicas = 1 },
            Endpoints =
            [
                Endpoint("node-a", WellKnown.EndpointTypeProxy, underNat: true),
                Endpoint("node-a", WellKnown.EndpointTypeTunnel, underNat: true),
            ],
        },
    };

    public static Endpoint Endpoint(string node, string type, bool underNat = false, string? publicIp = null, int port = 0) =>
        new() { NodeName = node, Type = type, UnderNAT = underNat, PublicIP = publicIp, Port = port };
}
