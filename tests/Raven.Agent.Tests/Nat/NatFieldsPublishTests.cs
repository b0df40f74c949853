using Raven.Agent.Engine;
using Raven.Agent.Nat;
using Raven.Api.V1Beta1;

namespace Raven.Agent.Tests.Nat;

public sealed class NatFieldsPublishTests
{
    [Fact]
    public async Task Discovered_fields_land_on_the_spec_endpoint_and_its_active_copy_and_a_repeat_changes_nothing()
    {
        var inputs = new InMemoryAgentInputs();
        var endpoint = new Endpoint { NodeName = "edge1-gw", Type = "tunnel", PublicIP = "198.51.100.20", UnderNAT = true };
        inputs.SetGateways(new Gateway
        {
            Metadata = new() { Name = "edge1" },
            Spec = new() { Endpoints = [endpoint] },
            Status = new() { ActiveEndpoints = [endpoint.Clone()] },
        });
        var fields = new NatEndpointFields("198.51.100.21", 4500, UpstreamNatType.PortRestrictedCone);

        (await inputs.PublishNatFieldsAsync("edge1", "edge1-gw", fields, CancellationToken.None)).Should().BeTrue();
        (await inputs.PublishNatFieldsAsync("edge1", "edge1-gw", fields, CancellationToken.None)).Should().BeFalse();

        var stored = inputs.Get("edge1")!;
        foreach (var e in new[] { stored.Spec.Endpoints![0], stored.Status.ActiveEndpoints![0] })
        {
            (e.PublicIP, e.PublicPort, e.NATType).Should().Be(("198.51.100.21", 4500, UpstreamNatType.PortRestrictedCone));
        }
    }

    [Fact]
    public void Without_a_public_ip_the_published_one_stays()
    {
        var endpoint = new Endpoint { NodeName = "n", Type = "tunnel", PublicIP = "198.51.100.20", PublicPort = 1, NATType = UpstreamNatType.FullCone };

        GatewayEndpoints.SetNatFields(endpoint, new NatEndpointFields(null, 0, UpstreamNatType.Symmetric)).Should().BeTrue();

        (endpoint.PublicIP, endpoint.PublicPort, endpoint.NATType).Should().Be(("198.51.100.20", 0, UpstreamNatType.Symmetric));
    }
}
