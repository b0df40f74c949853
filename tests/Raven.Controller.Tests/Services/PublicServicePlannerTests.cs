using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Controller.Services;

namespace Raven.Controller.Tests.Services;

public class PublicServicePlannerTests
{
    private static readonly Dictionary<string, string> Ips = new() { ["n1"] = "10.0.0.1", ["n2"] = "10.0.0.2" };
    private static readonly Dictionary<(string, string), string> None = [];

    private static Gateway LoadBalanced(params Endpoint[] actives) => new()
    {
        Metadata = new() { Name = "gw-cloud" },
        Spec = new GatewaySpec { ExposeType = "LoadBalancer" },
        Status = new GatewayStatus { ActiveEndpoints = [.. actives] },
    };

    private static Endpoint Ep(string node, string type) => new() { NodeName = node, Type = type, Port = type == "proxy" ? 10262 : 4500 };

    [Fact]
    public void One_service_per_active_endpoint_with_upstream_labels_and_protocols()
    {
        var services = PublicServicePlanner.Plan(LoadBalanced(Ep("n1", "tunnel"), Ep("n1", "proxy")), Ips, AgentPorts.Defaults, None);

        services.Select(s => s.Name).Should().Equal("x-raven-tunnel-svc-gw-cloud", "x-raven-proxy-svc-gw-cloud");
        var tunnel = services[0];
        tunnel.Type.Should().Be("LoadBalancer");
        tunnel.ExternalTrafficPolicy.Should().Be("Local");
        tunnel.Ports.Should().Equal(new DesiredPort("tunnel", "UDP", 4500, 4500), new DesiredPort("stun", "UDP", 3478, 3478), new DesiredPort("stun-alternate", "UDP", 3479, 3479));
        tunnel.Addresses.Should().Equal(new DesiredAddress("10.0.0.1", "n1"));
        tunnel.Labels.Should().Contain(WellKnown.GatewayLabel, "gw-cloud").And.Contain(WellKnown.GatewayTypeLabel, "tunnel").And.Contain(WellKnown.EndpointsNameLabel, "n1");
        tunnel.Annotations.Should().Contain("svc.openyurt.io/discard", "true");
        services[1].Ports.Single().Protocol.Should().Be("TCP");
    }

    [Fact]
    public void Failover_keeps_the_service_name_so_the_load_balancer_address_survives()
    {
        var before = PublicServicePlanner.Plan(LoadBalanced(Ep("n1", "tunnel")), Ips, AgentPorts.Defaults, None).Single();
        var existing = new Dictionary<(string, string), string> { [("tunnel", "n1")] = before.Name };

        var after = PublicServicePlanner.Plan(LoadBalanced(Ep("n2", "tunnel")), Ips, AgentPorts.Defaults, existing).Single();

        after.Name.Should().Be(before.Name);
        after.Labels[WellKnown.EndpointsNameLabel].Should().Be("n2");
        after.Addresses.Single().Ip.Should().Be("10.0.0.2");
    }

    [Fact]
    public void Several_replicas_get_distinct_sticky_names()
    {
        var existing = new Dictionary<(string, string), string> { [("proxy", "n2")] = "x-raven-proxy-svc-gw-cloud" };

        var services = PublicServicePlanner.Plan(LoadBalanced(Ep("n1", "proxy"), Ep("n2", "proxy")), Ips, AgentPorts.Defaults, existing);

        services.Single(s => s.Labels[WellKnown.EndpointsNameLabel] == "n2").Name.Should().Be("x-raven-proxy-svc-gw-cloud");
        services.Single(s => s.Labels[WellKnown.EndpointsNameLabel] == "n1").Name.Should().Be("x-raven-proxy-svc-gw-cloud-1");
    }

    [Fact]
    public void Target_ports_come_from_raven_agent_config()
    {
        var problems = new List<string>();
        var ports = AgentPorts.FromConfigMap(new Dictionary<string, string> { ["tunnel-bind-addr"] = ":4600", ["proxy-external-addr"] = "nonsense" }, problems);

        var services = PublicServicePlanner.Plan(LoadBalanced(Ep("n1", "tunnel"), Ep("n1", "proxy")), Ips, ports, None);

        services[0].Ports.Single(p => p.Name == "tunnel").TargetPort.Should().Be(4600);
        services[1].Ports.Single().TargetPort.Should().Be(10262);
        problems.Should().ContainSingle(p => p.Contains("proxy-external-addr"));
    }

    [Fact]
    public void A_tunnel_on_a_stun_port_keeps_its_port_and_the_other_stun_port_stays()
    {
        var endpoint = new Endpoint { NodeName = "n1", Type = "tunnel", Port = 3478 };

        var tunnel = PublicServicePlanner.Plan(LoadBalanced(endpoint), Ips, AgentPorts.Defaults, None).Single();

        tunnel.Ports.Should().Equal(new DesiredPort("tunnel", "UDP", 3478, 4500), new DesiredPort("stun-alternate", "UDP", 3479, 3479));
    }

    [Theory]
    [InlineData("PublicIP")]
    [InlineData("")]
    public void Only_load_balancer_gateways_get_services(string exposeType)
    {
        var gateway = LoadBalanced(Ep("n1", "tunnel"));
        gateway.Spec.ExposeType = exposeType;

        PublicServicePlanner.Plan(gateway, Ips, AgentPorts.Defaults, None).Should().BeEmpty();
    }

    [Fact]
    public void Long_gateway_names_give_valid_distinct_service_names()
    {
        var longName = new string('g', 70);

        var a = PublicServicePlanner.SlotName(longName, "tunnel", 0);
        var b = PublicServicePlanner.SlotName(longName, "tunnel", 1);

        a.Length.Should().BeLessThanOrEqualTo(63);
        b.Length.Should().BeLessThanOrEqualTo(63);
        a.Should().NotBe(b);
        PublicServicePlanner.SlotName("gw.with.dots", "proxy", 0).Should().NotContain(".");
    }
}
