using Raven.Agent.Engine;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;
using Raven.Api.DataPlane;
using static Raven.Agent.Tests.Engine.ConnectionReportFixtures;

namespace Raven.Agent.Tests.Engine;

public sealed class ConnectionReportRendererTests
{
    private static readonly Dictionary<string, int> NoReconnects = new(StringComparer.Ordinal);

    [Fact]
    public void A_serving_gateway_reports_each_domains_path_via_candidates_and_ready_standbys()
    {
        var report = ConnectionReportRenderer.Render(ServingPlan(), Paths(), [Connection("qd-3"), Connection("qd-2")], NoReconnects, Now)!;

        report.Role.Should().Be("serving");
        report.Backend.Should().Be("wireguard");
        report.Domains.Select(d => (d.Domain, d.Path, d.Via)).Should().Equal(("gw-qingdao", "direct", "qd-2"), ("gw-shanghai", "relay:gw-qingdao", "qd-2"));
        report.Domains[0].ReadyStandbys.Should().Equal("qd-3");
        report.Domains[1].ReadyStandbys.Should().BeEmpty();
        report.Domains[1].Candidates.Single().Should().Be(new PathCostReport { Path = "relay:gw-qingdao", State = "up", RttMilliseconds = 2.5, LossRatio = 0.01, CostMilliseconds = 7.5 });
        report.Connections.Select(c => c.Node).Should().Equal("qd-2", "qd-3");
        report.Connections[0].Should().Be(new TunnelConnectionReport
        {
            Gateway = "gw-qingdao", Node = "qd-2", Endpoint = "198.51.100.2:4500", State = "up", LastHandshake = Now.AddSeconds(-20), RxBytes = 100, TxBytes = 200,
        });
    }

    [Fact]
    public void A_standby_that_is_down_is_not_ready()
    {
        var report = ConnectionReportRenderer.Render(ServingPlan(), Paths(), [Connection("qd-2"), Connection("qd-3", TunnelConnectionState.Down)], NoReconnects, Now)!;

        report.Domains[0].ReadyStandbys.Should().BeEmpty();
        report.Connections[1].State.Should().Be("down");
    }

    [Fact]
    public void A_standby_endpoint_reports_its_connections_and_no_paths()
    {
        var report = ConnectionReportRenderer.Render(ServingPlan(PlanRole.StandbyGateway), Paths(), [Connection("qd-2")], NoReconnects, Now)!;

        report.Role.Should().Be("standby");
        report.Domains.Should().BeEmpty();
        report.Connections.Should().ContainSingle();
    }

    [Theory]
    [InlineData(PlanRole.DomainMember)]
    [InlineData(PlanRole.NotInDomain)]
    [InlineData(PlanRole.Disabled)]
    public void Nodes_that_are_no_tunnel_endpoint_report_nothing(PlanRole role) =>
        ConnectionReportRenderer.Render(NetworkPlan.Empty(role, "hz-1", "gw-hangzhou", []), Paths(), [], NoReconnects, Now).Should().BeNull();

    [Fact]
    public void Without_probes_the_planned_path_is_reported_without_candidates()
    {
        var report = ConnectionReportRenderer.Render(ServingPlan(), [], [Connection("qd-2")], NoReconnects, Now)!;

        report.Domains.Select(d => (d.Path, d.Candidates.Count)).Should().Equal(("direct", 0), ("relay:gw-qingdao", 0));
    }

    [Fact]
    public void Packets_and_reconnects_come_from_the_backend_when_it_counts_them_else_from_the_agents_count()
    {
        var ipsec = new TunnelConnection("gw-qingdao", "raven-gw-qingdao", TunnelConnectionState.Up, Now, 1, 2) { Node = "qd-2", RxPackets = 3, TxPackets = 4, Reconnects = 5 };
        var wireguard = Connection("qd-3");
        var counted = new Dictionary<string, int>(StringComparer.Ordinal) { [ipsec.Id] = 1, [wireguard.Id] = 2 };

        var report = ConnectionReportRenderer.Render(ServingPlan(), Paths(), [ipsec, wireguard], counted, Now)!;

        report.Connections.Select(c => (c.RxPackets, c.TxPackets, c.Reconnects)).Should().Equal((3L, 4L, 5), (null, null, 2));
    }

    [Fact]
    public void A_connection_without_a_node_name_belongs_to_its_domains_serving_peer() =>
        ConnectionReportRenderer.Render(ServingPlan(), Paths(), [Connection("x") with { Node = null }], NoReconnects, Now)!
            .Connections.Single().Node.Should().Be("qd-2");

    [Fact]
    public void The_report_round_trips_through_its_annotation_text()
    {
        var report = ConnectionReportRenderer.Render(ServingPlan(), Paths(), [Connection("qd-2")], NoReconnects, Now.AddMilliseconds(123))!;
        var text = report.Serialize();

        var parsed = ConnectionReport.TryParse(text)!;
        parsed.SampledAt.Should().Be(Now);
        parsed.Serialize().Should().Be(text);
    }
}
