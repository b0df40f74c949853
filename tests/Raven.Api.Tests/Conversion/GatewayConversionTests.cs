using Raven.Api.Conversion;
using Raven.Api.Json;
using Alpha = Raven.Api.V1Alpha1;
using Beta = Raven.Api.V1Beta1;

namespace Raven.Api.Tests.Conversion;

public class GatewayConversionTests
{
    [Fact]
    public void V1alpha1_endpoints_become_tunnel_endpoints_on_4500_with_replicas_1()
    {
        var alpha = new Alpha.Gateway
        {
            Metadata = new() { Name = "gw" },
            Spec = new Alpha.GatewaySpec
            {
                ExposeType = "LoadBalancer",
                Endpoints = [new Alpha.Endpoint { NodeName = "n1", PublicIP = "203.0.113.1", Config = new() { ["k"] = "v" } }],
            },
            Status = new Alpha.GatewayStatus
            {
                ActiveEndpoint = new Alpha.Endpoint { NodeName = "n1" },
                Nodes = [new Alpha.NodeInfo { NodeName = "n1", PrivateIP = "10.0.0.1", Subnets = ["10.244.0.0/24"] }],
            },
        };

        var beta = GatewayConversion.ToV1Beta1(alpha);

        beta.ApiVersion.Should().Be("raven.openyurt.io/v1beta1");
        beta.Spec.ProxyConfig.Replicas.Should().Be(1);
        beta.Spec.TunnelConfig.Replicas.Should().Be(1);
        beta.Spec.ExposeType.Should().Be("LoadBalancer");
        beta.Spec.Endpoints.Should().ContainSingle().Which.Should().BeEquivalentTo(new Beta.Endpoint
        {
            NodeName = "n1", PublicIP = "203.0.113.1", Config = new() { ["k"] = "v" }, Type = "tunnel", Port = 4500,
        });
        beta.Status.ActiveEndpoints.Should().ContainSingle().Which.Type.Should().Be("tunnel");
        beta.Status.Nodes.Should().ContainSingle().Which.Subnets.Should().Equal("10.244.0.0/24");
    }

    [Fact]
    public void V1beta1_to_v1alpha1_keeps_the_first_active_endpoint_and_projects_every_endpoint()
    {
        var beta = GatewayBuilder.Valid("gw");
        beta.Status.ActiveEndpoints = [GatewayBuilder.Endpoint("node-a", "proxy"), GatewayBuilder.Endpoint("node-a", "tunnel")];

        var alpha = GatewayConversion.ToV1Alpha1(beta);

        alpha.ApiVersion.Should().Be("raven.openyurt.io/v1alpha1");
        alpha.Spec.Endpoints.Should().HaveCount(2).And.OnlyContain(e => e.NodeName == "node-a" && e.UnderNAT);
        alpha.Status.ActiveEndpoint!.NodeName.Should().Be("node-a");
    }

    [Fact]
    public void What_v1alpha1_cannot_hold_is_stashed_in_an_annotation_and_restored()
    {
        var beta = GatewayBuilder.Valid("gw");
        beta.Spec.ProxyConfig.ProxyHTTPSPort = "10250";

        var alpha = GatewayConversion.ToV1Alpha1(beta);
        var back = GatewayConversion.ToV1Beta1(alpha);

        alpha.Metadata.Annotations.Should().ContainKey(WellKnown.ConversionDataAnnotation);
        back.Metadata.Annotations.Should().BeNull();
        RavenJson.Serialize(back).Should().Be(RavenJson.Serialize(beta));
    }

    [Fact]
    public void Nothing_is_stashed_when_the_plain_mapping_already_round_trips()
    {
        var beta = GatewayConversion.ToV1Beta1(new Alpha.Gateway { Metadata = new() { Name = "gw" }, Spec = new() { Endpoints = [new() { NodeName = "n" }] } });

        GatewayConversion.ToV1Alpha1(beta).Metadata.Annotations.Should().BeNull();
    }

    [Fact]
    public void Endpoints_edited_on_the_v1alpha1_side_win_over_the_stash()
    {
        var beta = GatewayBuilder.Valid("gw");
        var alpha = GatewayConversion.ToV1Alpha1(beta);
        alpha.Spec.Endpoints![1].NodeName = "node-z"; // the user moved the second endpoint with an old client

        var back = GatewayConversion.ToV1Beta1(alpha);

        back.Spec.Endpoints![0].Type.Should().Be("proxy", "the untouched endpoint keeps its stashed type");
        back.Spec.Endpoints[1].Should().BeEquivalentTo(new Beta.Endpoint { NodeName = "node-z", UnderNAT = true, Type = "tunnel", Port = 4500 });
    }

    [Fact]
    public void A_corrupt_stash_falls_back_to_the_plain_mapping()
    {
        var alpha = new Alpha.Gateway { Metadata = new() { Name = "gw", Annotations = new() { [WellKnown.ConversionDataAnnotation] = "{not json" } } };

        var beta = GatewayConversion.ToV1Beta1(alpha);

        beta.Spec.TunnelConfig.Replicas.Should().Be(1);
        beta.Metadata.Annotations.Should().BeNull();
    }

    [Fact]
    public void Random_v1beta1_gateways_survive_a_round_trip_through_v1alpha1()
    {
        var random = new Random(20261122);
        for (var i = 0; i < 500; i++)
        {
            var original = RandomGateways.Beta(random, i);

            var back = GatewayConversion.ToV1Beta1(GatewayConversion.ToV1Alpha1(original));

            RavenJson.Serialize(back).Should().Be(RavenJson.Serialize(original), $"gateway #{i} must round-trip");
        }
    }

    [Fact]
    public void Random_v1alpha1_gateways_survive_a_round_trip_through_v1beta1()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var original = RandomGateways.Alpha(random, i);

            var back = GatewayConversion.ToV1Alpha1(GatewayConversion.ToV1Beta1(original));

            RavenJson.Serialize(back).Should().Be(RavenJson.Serialize(original), $"gateway #{i} must round-trip");
        }
    }
}
