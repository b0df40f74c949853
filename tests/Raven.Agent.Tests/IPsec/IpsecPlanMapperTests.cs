using Raven.Agent.Planning;
using Raven.Agent.Tunnel.IPsec;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.IPsec;

/// <summary>The IPsec backend's reading of the backend-neutral plan (the backend is not registered yet).</summary>
public sealed class IpsecPlanMapperTests
{
    private static readonly PlannerOptions Ipsec = Options with { Tunnel = IpsecProfile.Instance };

    [Fact]
    public void Peers_need_no_published_key_and_the_mtu_leaves_room_for_esp_in_udp()
    {
        var gateways = CloudAndTwoNatedEdges();
        foreach (var gateway in gateways)
        {
            gateway.Status.ActiveEndpoints![0].Config!.Remove("publicKey");
        }

        var plan = Plan("cloud-gw", Ipsec, gateways);

        plan.Tunnel!.Backend.Should().Be("ipsec");
        plan.Tunnel.Peers.Select(p => p.GatewayName).Should().Equal("edge1", "edge2");
        plan.Tunnel.Mtu.Should().Be(IpsecProfile.LibipsecTunMtu, "1500 - 65 would do for ESP in UDP, but kernel-libipsec passes no packet over 1400 bytes");
    }

    [Fact]
    public void Each_remote_gateway_becomes_one_connection_between_node_identities()
    {
        var plan = Plan("edge2-gw", Ipsec, CloudAndTwoNatedEdges(secondEdgeDialable: true));

        var specs = IpsecPlanMapper.Map(plan.Tunnel!, "edge2-gw", TimeSpan.FromSeconds(5));

        specs.Select(s => s.Validate()).Should().OnlyContain(p => p.Count == 0);
        var toCloud = specs.Single(s => s.Name == "raven-cloud");
        (toCloud.LocalId, toCloud.RemoteId, toCloud.Role).Should().Be(("@edge2-gw", "@cloud-gw", IpsecRole.Initiator));
        toCloud.RemoteAddress!.ToString().Should().Be("203.0.113.10");
        toCloud.LocalSubnets.Select(n => n.ToString()).Should().Equal("10.244.20.0/23");
        toCloud.RemoteSubnets.Select(n => n.ToString()).Should().Contain("10.244.0.0/23");
        var toEdge1 = specs.Single(s => s.Name == "raven-edge1");
        (toEdge1.Role, toEdge1.RemoteAddress).Should().Be((IpsecRole.Responder, null), "edge1 is under NAT without a public port: it dials us");
        toEdge1.DpdDelay.Should().Be(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_peer_whose_endpoint_is_one_of_its_routable_addresses_leaves_it_out_of_the_remote_selectors()
    {
        var plan = Plan("edge2-gw", Ipsec, CloudAndTwoNatedEdges(secondEdgeDialable: true));
        var cloud = plan.Tunnel!.Peers.Single(p => p.GatewayName == "cloud");
        var endpoint = Raven.Api.Net.Cidr.Host(cloud.Endpoint!.Address);
        var withNodeIp = plan.Tunnel with { Peers = new[] { cloud with { RemoteCidrs = cloud.RemoteCidrs.Append(endpoint).ToValueList() } }.ToValueList() };

        var spec = IpsecPlanMapper.Map(withNodeIp, "edge2-gw", TimeSpan.FromSeconds(5)).Single();

        spec.RemoteSubnets.Should().NotContain(n => n.Contains(cloud.Endpoint.Address),
            "libipsec refuses a CHILD SA whose remote selector covers the IKE peer (it conflicts with IKE traffic)");
        spec.RemoteSubnets.Select(n => n.ToString()).Should().Contain("10.244.0.0/23");
    }
}
