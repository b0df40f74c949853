using System.Net;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;
using Raven.Agent.Tunnel.IPsec;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.IPsec;

/// <summary>The pure parts of the IPsec backend: charon's settings, the rendered connections, route sources, connection states.</summary>
public sealed class IpsecBackendTests
{
    private static readonly PlannerOptions Ipsec = Options with { Tunnel = IpsecProfile.Instance };

    [Fact]
    public void Charon_gets_its_own_state_directory_the_tunnel_port_and_the_keepalive_timeout_as_dpd_timeout()
    {
        var charon = IpsecSeam.CharonOptionsFor(new TunnelBackendContext
        {
            InterfaceName = "raven-wg0",
            StateDirectory = "/var/lib/raven",
            NetworkNamespace = "node-a",
            ListenPort = 4500,
            KeepAliveTimeout = TimeSpan.FromSeconds(30),
            Reconciler = null!,
        });

        charon.StateDirectory.Should().Be("/var/lib/raven/ipsec");
        (charon.Port, charon.NetworkNamespace, charon.DeadPeerTimeout).Should().Be((4500, "node-a", TimeSpan.FromSeconds(30)));
        charon.Validate();
        StrongswanConf.Render(charon, libipsec: true).Should().Contain("port_nat_t = 4500").And.Contain("retransmit_timeout = 10");
    }

    [Fact]
    public void The_plan_of_a_nated_edge_renders_one_initiating_esp_in_udp_connection_to_the_cloud()
    {
        var plan = Plan("edge1-gw", Ipsec, CloudAndTwoNatedEdges());

        var rendered = IpsecPlanMapper.Map(plan.Tunnel!, "edge1-gw", TimeSpan.FromSeconds(5)).Select(ConnectionConfig.Render).ToList();

        var toCloud = rendered.Should().ContainSingle().Subject;
        toCloud.Name.Should().Be("raven-cloud");
        var config = toCloud.Config;
        (config.Texts("remote_addrs").Single(), config.Text("remote_port"), config.Text("encap"), config.Text("dpd_delay"))
            .Should().Be(("203.0.113.10", "4500", "yes", "5s"));
        config.Section("local")!.Text("id").Should().Be("@edge1-gw");
        config.Section("remote")!.Text("id").Should().Be("@cloud-gw");
        var child = config.Section("children")!.Section(toCloud.ChildName)!;
        child.Texts("local_ts").Should().Equal("10.244.10.0/23");
        child.Texts("remote_ts").Should().Equal("10.244.0.0/23", "10.244.20.0/23");
        (child.Text("start_action"), child.Text("dpd_action")).Should().Be(("start", "restart"));
    }

    [Fact]
    public void The_cloud_answers_nated_edges_from_any_address()
    {
        var plan = Plan("cloud-gw", Ipsec, CloudAndTwoNatedEdges());

        var rendered = IpsecPlanMapper.Map(plan.Tunnel!, "cloud-gw", TimeSpan.FromSeconds(5)).Select(ConnectionConfig.Render).ToList();

        rendered.Select(r => r.Name).Should().Equal("raven-edge1", "raven-edge2");
        rendered.Should().OnlyContain(r => r.Config.Texts("remote_addrs").Single() == "%any" &&
            r.Config.Section("children")!.Section(r.ChildName)!.Text("start_action") == "none");
    }

    [Fact]
    public void A_route_source_is_the_first_host_address_inside_the_connections_local_subnets()
    {
        IpsecConnectionSpec Spec(string remote, params string[] local) => new()
        {
            Name = "raven-x",
            LocalId = "@a",
            RemoteId = "@b",
            LocalSubnets = local.Select(IPNetwork.Parse).ToList(),
            RemoteSubnets = [IPNetwork.Parse(remote)],
        };
        IPAddress[] host = [IPAddress.Parse("198.51.100.2"), IPAddress.Parse("10.244.0.1"), IPAddress.Parse("172.16.0.10")];

        var sources = IpsecSeam.Sources([Spec("10.245.0.0/23", "10.244.0.0/23", "172.16.0.10/31"), Spec("10.246.0.0/23", "10.250.0.0/24")], host);

        sources.Should().Equal(
            (IPNetwork.Parse("10.245.0.0/23"), IPAddress.Parse("10.244.0.1")),
            (IPNetwork.Parse("10.246.0.0/23"), (IPAddress?)null));
    }

    [Theory]
    [InlineData(IpsecConnectionState.Up, 0, TunnelConnectionState.Up)]
    [InlineData(IpsecConnectionState.IkeEstablished, 0, TunnelConnectionState.Connecting)]
    [InlineData(IpsecConnectionState.Connecting, 3, TunnelConnectionState.Connecting)]
    [InlineData(IpsecConnectionState.Down, 0, TunnelConnectionState.Connecting)]
    [InlineData(IpsecConnectionState.Down, 1, TunnelConnectionState.Down)]
    public void A_connection_is_up_with_an_installed_child_sa_and_down_once_it_was_up_and_is_gone(IpsecConnectionState state, int reconnects, TunnelConnectionState expected)
    {
        var now = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        var connection = IpsecSeam.ToConnection(new IpsecConnectionStatus
        {
            Name = "raven-edge-a",
            State = state,
            Reconnects = reconnects,
            Age = TimeSpan.FromSeconds(10),
            BytesIn = 5,
            BytesOut = 7,
            PacketsIn = 2,
            PacketsOut = 3,
            RemoteNode = "edge-a-1",
            RemoteEndpoint = "192.0.2.10:4500",
        }, now);

        // Packets and reconnects as charon counts them, for the connection report.
        connection.Should().Be(new TunnelConnection("edge-a", "raven-edge-a", expected, now.AddSeconds(-10), 5, 7)
        {
            Node = "edge-a-1",
            Endpoint = "192.0.2.10:4500",
            RxPackets = 2,
            TxPackets = 3,
            Reconnects = reconnects,
        });
    }
}
