using k8s.Models;
using Raven.Api;
using Raven.Api.DataPlane;
using Raven.Api.V1Beta1;
using Raven.Controller.Election;
using Raven.Controller.Runtime;

namespace Raven.Controller.Tests.Election;

/// <summary>The controller follows the data plane's take-over claims (docs/controller.md, "Following the data plane").</summary>
public class DataPlaneFollowerTests
{
    private static readonly FeatureSwitches TunnelOnly = new(Tunnel: true, Proxy: false);
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 13, 0, 0, TimeSpan.Zero);

    private static DataPlaneReport Claims(bool serving, uint epoch, string? through = null) => new()
    {
        Claim = new DataPlaneClaim { Serving = serving, Epoch = epoch },
        Serving = new Dictionary<string, string> { ["gw-hz"] = through ?? (serving ? "?" : "") },
    };

    private static DataPlaneReport SendsThrough(string node) => new() { Serving = new Dictionary<string, string> { ["gw-hz"] = node } };

    private static NodeFacts Node(string name, DataPlaneReport? report = null, bool? alive = true) =>
        new(name, true, alive, "172.16.2.1", ["10.244.0.0/24"]) { DataPlane = report };

    private static Endpoint Tunnel(string node) => new() { NodeName = node, Type = WellKnown.EndpointTypeTunnel, Port = 4500 };

    private static Gateway Gateway(params string[] actives) => new()
    {
        Metadata = new() { Name = "gw-hz", Generation = 1 },
        Spec = new GatewaySpec
        {
            TunnelConfig = new() { Replicas = 2 },
            ProxyConfig = new() { Replicas = 0 },
            Endpoints = [Tunnel("hz-1"), Tunnel("hz-2"), Tunnel("hz-3")],
        },
        Status = new GatewayStatus { ActiveEndpoints = actives.Length == 0 ? null : [.. actives.Select(Tunnel)] },
    };

    private static string Order(StatusDecision d) => string.Join(",", d.Status.ActiveEndpoints?.Select(e => e.NodeName) ?? []);

    [Fact]
    public void A_take_over_claim_moves_the_serving_endpoint_first_with_one_event_and_a_second_pass_repeats_nothing()
    {
        var gateway = Gateway("hz-1", "hz-2");
        NodeFacts[] nodes = [Node("hz-1", Claims(false, 1, "hz-2")), Node("hz-2", Claims(true, 2, "hz-2")), Node("hz-w", SendsThrough("hz-2"))];

        var first = GatewayStatusBuilder.Decide(gateway, nodes, TunnelOnly, Now);

        Order(first).Should().Be("hz-2,hz-1");
        var takeOver = first.Events.Should().ContainSingle(e => e.Reason == DataPlaneFollower.EventTakeOver).Subject;
        takeOver.Warning.Should().BeFalse();
        takeOver.Message.Should().Contain("node hz-2 took over gateway gw-hz's tunnel from node hz-1").And.Contain("serving at epoch 2")
            .And.Contain("hz-1 is standby (epoch 1)").And.Contain("2 of 2 other agents");
        first.Events.Should().NotContain(e => e.Reason == WellKnown.EventActiveEndpointLost || e.Reason == WellKnown.EventActiveEndpointElected,
            "the same endpoints stay active, only their order changes");

        gateway.Status = first.Status;
        var second = GatewayStatusBuilder.Decide(gateway, nodes, TunnelOnly, Now);
        second.ChangesStatusOf(gateway).Should().BeFalse();
        second.Events.Should().BeEmpty();
    }

    [Fact]
    public void A_claim_the_domains_agents_contradict_is_not_followed()
    {
        var gateway = Gateway("hz-1", "hz-2");
        NodeFacts[] nodes = [Node("hz-1", Claims(true, 1, "hz-1")), Node("hz-2", Claims(true, 2, "hz-2")), Node("hz-w", SendsThrough("hz-1")), Node("hz-x", SendsThrough("hz-1"))];

        var decision = GatewayStatusBuilder.Decide(gateway, nodes, TunnelOnly, Now);

        Order(decision).Should().Be("hz-1,hz-2", "the members and hz-1 still send through hz-1");
        decision.Events.Should().BeEmpty();
    }

    [Fact]
    public void A_member_whose_own_link_flaps_does_not_outvote_the_others()
    {
        var gateway = Gateway("hz-1", "hz-2");
        NodeFacts[] nodes = [Node("hz-2", Claims(true, 2, "hz-2")), Node("hz-w", SendsThrough("hz-1")), Node("hz-x", SendsThrough("hz-2")), Node("hz-y", SendsThrough("hz-2"))];

        Order(GatewayStatusBuilder.Decide(gateway, [Node("hz-1", Claims(false, 1, "hz-2")), .. nodes], TunnelOnly, Now)).Should().Be("hz-2,hz-1");
    }

    [Fact]
    public void A_claim_on_an_expired_agent_lease_is_stale_and_moves_nothing()
    {
        var gateway = Gateway("hz-1", "hz-2");
        var expired = Lease("hz-2", Claims(true, 2, "hz-2"), renewed: Now.AddSeconds(-10), seconds: 6);
        var hz2 = NodeFactsReader.Read(KubeNode("hz-2"), expired, [], Now, apiReachableSince: null);
        hz2.DataPlane.Should().BeNull("a report is only as current as its lease");

        var decision = GatewayStatusBuilder.Decide(gateway, [Node("hz-1", Claims(true, 1, "hz-1")), hz2, Node("hz-w", SendsThrough("hz-2"))], TunnelOnly, Now);

        Order(decision).Should().Be("hz-1,hz-2");
        decision.Events.Should().NotContain(e => e.Reason == DataPlaneFollower.EventTakeOver);
    }

    [Fact]
    public void A_current_lease_carries_its_report_to_the_controller()
    {
        var lease = Lease("hz-2", Claims(true, 2, "hz-2"), renewed: Now.AddSeconds(-1), seconds: 6);

        NodeFactsReader.Read(KubeNode("hz-2"), lease, [], Now, null).DataPlane!.Claim.Should().Be(new DataPlaneClaim { Serving = true, Epoch = 2 });
    }

    [Fact]
    public void The_primary_returning_with_its_old_claim_does_not_take_the_domain_back()
    {
        // hz-1 died, the controller dropped it; its agent comes back still advertising its claim of before.
        var gateway = Gateway("hz-2");
        NodeFacts[] nodes = [Node("hz-1", Claims(true, 1, "hz-1")), Node("hz-2", Claims(true, 2, "hz-2")), Node("hz-w", SendsThrough("hz-2"))];

        var decision = GatewayStatusBuilder.Decide(gateway, nodes, TunnelOnly, Now);

        Order(decision).Should().Be("hz-2,hz-1", "the election alone would list hz-1 first (spec order); the newer claim keeps hz-2 serving");
        decision.Events.Should().ContainSingle().Which.Reason.Should().Be(WellKnown.EventActiveEndpointElected);
    }

    [Fact]
    public void The_data_plane_handing_back_at_a_newer_epoch_is_followed()
    {
        var gateway = Gateway("hz-2", "hz-1");
        NodeFacts[] nodes = [Node("hz-1", Claims(true, 3, "hz-1")), Node("hz-2", Claims(false, 2, "hz-1")), Node("hz-w", SendsThrough("hz-1"))];

        var decision = GatewayStatusBuilder.Decide(gateway, nodes, TunnelOnly, Now);

        Order(decision).Should().Be("hz-1,hz-2");
        decision.Events.Should().ContainSingle(e => e.Reason == DataPlaneFollower.EventTakeOver).Which.Message.Should().Contain("from node hz-2");
    }

    [Fact]
    public void Equal_epochs_go_by_priority_as_the_members_break_the_tie()
    {
        var gateway = Gateway("hz-1", "hz-2");
        NodeFacts[] nodes = [Node("hz-1", Claims(true, 1, "hz-1")), Node("hz-2", Claims(true, 1, "hz-2"))];

        var decision = GatewayStatusBuilder.Decide(gateway, nodes, TunnelOnly, Now);

        Order(decision).Should().Be("hz-1,hz-2");
        decision.Events.Should().BeEmpty();
    }

    [Fact]
    public void Without_reports_the_serving_endpoint_stays_first_and_a_new_gateway_goes_by_spec_order()
    {
        Order(GatewayStatusBuilder.Decide(Gateway("hz-2"), [Node("hz-1"), Node("hz-2")], TunnelOnly, Now))
            .Should().Be("hz-2,hz-1", "an old primary that is eligible again comes back behind the serving endpoint");
        Order(GatewayStatusBuilder.Decide(Gateway(), [Node("hz-1"), Node("hz-2")], TunnelOnly, Now)).Should().Be("hz-1,hz-2");
    }

    [Fact]
    public void A_contradicted_claim_leaves_the_serving_endpoint_first_even_against_spec_order()
    {
        // hz-2 serves (recorded); hz-1 claims a newer epoch, but the domain's agents still send through hz-2.
        var gateway = Gateway("hz-2", "hz-1");
        NodeFacts[] nodes = [Node("hz-1", Claims(true, 3, "hz-1")), Node("hz-2", Claims(true, 2, "hz-2")), Node("hz-w", SendsThrough("hz-2"))];

        var decision = GatewayStatusBuilder.Decide(gateway, nodes, TunnelOnly, Now);

        Order(decision).Should().Be("hz-2,hz-1");
        decision.Events.Should().BeEmpty();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"serving\":null}")]
    [InlineData("[1,2]")]
    public void An_unreadable_report_is_no_report(string? text) => DataPlaneReport.TryParse(text).Should().BeNull();

    [Fact]
    public void A_report_survives_its_text()
    {
        var report = Claims(true, 7, "hz-2");
        var back = DataPlaneReport.TryParse(report.Serialize())!;
        back.Claim.Should().Be(report.Claim);
        back.Serving.Should().Equal(report.Serving);
    }

    private static V1Node KubeNode(string name) => new()
    {
        Metadata = new() { Name = name },
        Status = new() { Addresses = [new V1NodeAddress { Type = "InternalIP", Address = "172.16.2.2" }], Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }] },
    };

    private static V1Lease Lease(string node, DataPlaneReport report, DateTimeOffset renewed, int seconds) => new()
    {
        Metadata = new() { Name = NodeFactsReader.AgentLeasePrefix + node, Annotations = new Dictionary<string, string> { [DataPlaneReport.Annotation] = report.Serialize() } },
        Spec = new() { HolderIdentity = node, RenewTime = renewed.UtcDateTime, LeaseDurationSeconds = seconds },
    };
}
