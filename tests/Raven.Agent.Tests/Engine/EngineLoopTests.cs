using Microsoft.Extensions.Time.Testing;
using Raven.Agent.Engine;
using Raven.Agent.Engine.Drivers;
using Raven.Agent.Planning;
using Raven.Api.V1Beta1;
using Raven.Kube.Observability;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Engine;

/// <summary>The engine's loop over fake drivers and a fake backend: no root, no kernel.</summary>
public sealed class EngineLoopTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private sealed class Rig
    {
        public required InMemoryAgentInputs Inputs { get; init; }

        public required FakeTunnelBackend Tunnel { get; init; }

        public required RecordingEvents Events { get; init; }

        public required FakeDriver Vxlan { get; init; }

        public required FakeDriver Routing { get; init; }

        public required AgentEngine Engine { get; init; }

        public static Rig Create(TimeProvider? time = null, string node = "cloud-gw")
        {
            var clock = time ?? TimeProvider.System;
            var vxlan = new FakeDriver("vxlan") { Clock = clock };
            var routing = new FakeDriver("routing") { Clock = clock };
            var inputs = new InMemoryAgentInputs();
            var tunnel = new FakeTunnelBackend(KeyOf(node));
            var events = new RecordingEvents();
            var flags = new Dictionary<string, string> { ["node-name"] = node };
            var engine = new AgentEngine(config => AgentOptionsParser.Parse(flags, _ => null, config), inputs, inputs, tunnel,
                new PlanApplier([new TunnelStep(tunnel), vxlan, routing]), new AgentMetrics(), time: clock, events: events);
            return new Rig { Vxlan = vxlan, Routing = routing, Engine = engine, Inputs = inputs, Tunnel = tunnel, Events = events };
        }
    }

    [Fact]
    public async Task A_failing_driver_is_reported_by_name_and_the_drivers_after_it_still_apply()
    {
        var rig = Rig.Create();
        rig.Inputs.SetGateways(CloudAndTwoNatedEdges());
        rig.Vxlan.Failure = "raven0: boom";

        var report = await rig.Engine.ApplyOnceAsync(CancellationToken.None);

        report.Succeeded.Should().BeFalse();
        report.Errors.Should().Equal("vxlan: raven0: boom");
        report.Outcomes.Select(o => (o.Driver, o.Status)).Should().Equal(
            ("tunnel", DriverStatus.Changed), ("vxlan", DriverStatus.Failed), ("routing", DriverStatus.Unchanged));
        rig.Routing.Count.Should().Be(1, "routing ran after the failing VXLAN step");
        rig.Tunnel.Last!.Peers.Select(p => p.GatewayName).Should().Equal("edge1", "edge2");
        rig.Engine.NotReadyReason().Should().Contain("vxlan: raven0: boom");
    }

    [Fact]
    public async Task The_backend_config_is_published_on_the_nodes_tunnel_endpoint()
    {
        var rig = Rig.Create();
        var gateways = CloudAndTwoNatedEdges();
        gateways[0].Spec.Endpoints = [TunnelEndpoint("cloud-gw", "203.0.113.10", withKey: false)];
        rig.Inputs.SetGateways(gateways);

        await rig.Engine.ApplyOnceAsync(CancellationToken.None);

        rig.Inputs.Get("cloud")!.Spec.Endpoints![0].Config![GatewayEndpoints.PublicKeyConfigKey].Should().Be(KeyOf("cloud-gw"));
    }

    [Fact]
    public async Task A_failed_pass_is_retried_on_the_clock_and_a_burst_of_changes_is_one_pass()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var rig = Rig.Create(time);
        rig.Inputs.SetGateways(CloudAndTwoNatedEdges());
        rig.Routing.Failure = "table 9028: boom";
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(() => rig.Engine.RunAsync(stop.Token));

        // The fake clock moves in 10 ms steps while the test waits: the loop creates its retry timer a moment after the
        // pass the test observes, and a single jump taken before that timer exists would leave it waiting forever.
        void Tick() => time.Advance(TimeSpan.FromMilliseconds(10));
        await Until(() => rig.Routing.Count == 1);
        await Until(() => rig.Routing.Count == 2, Tick);
        rig.Routing.Failure = null;
        await Until(() => rig.Engine.LastReport is { Succeeded: true }, Tick);

        var before = rig.Routing.Count;
        for (var i = 0; i < 20; i++)
        {
            rig.Inputs.Mutate("edge1", g => g.Status.Nodes![0].Subnets = [$"10.244.{10 + i % 2}.0/24"]);
        }

        await Until(() => rig.Routing.Count > before, () => time.Advance(TimeSpan.FromMilliseconds(50)));
        await Until(() => rig.Engine.LastReport!.Plan.Tunnel!.Peers.Single(p => p.GatewayName == "edge1").RemoteCidrs.Any(c => c.ToString() == "10.244.11.0/24"),
            () => time.Advance(TimeSpan.FromMilliseconds(50)));
        rig.Routing.Count.Should().BeLessThan(before + 20, "the changes were coalesced");
        var gaps = rig.Routing.Times.Zip(rig.Routing.Times.Skip(1), (a, b) => b - a).Take(2).ToArray();
        gaps[0].Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1)).And.BeLessThan(TimeSpan.FromSeconds(1.5), "the first retry waits 1 s");
        gaps[1].Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2)).And.BeLessThan(TimeSpan.FromSeconds(2.5), "the retry delay doubles after a failed pass");
        await stop.CancelAsync();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
            // Cancelled while waiting; a loop cancelled between passes simply returns.
        }
    }

    [Fact]
    public async Task Gateways_sharing_a_key_are_skipped_with_one_warning_each_and_the_other_peers_keep_working()
    {
        var rig = Rig.Create();
        var gateways = CloudAndTwoNatedEdges().Append(
            Gateway("edge3", TunnelEndpoint("edge3-gw", "198.51.100.40"), Node("edge3-gw", "192.168.3.10", "10.244.30.0/24"))).ToArray();
        gateways[3].Status.ActiveEndpoints![0].Config!["publicKey"] = KeyOf("edge2-gw"); // a cloned state directory
        rig.Inputs.SetGateways(gateways);

        var first = await rig.Engine.ApplyOnceAsync(CancellationToken.None);
        var second = await rig.Engine.ApplyOnceAsync(CancellationToken.None);
        rig.Inputs.Mutate("edge1", g => g.Status.Nodes![0].Subnets = ["10.244.12.0/24"]);
        var third = await rig.Engine.ApplyOnceAsync(CancellationToken.None);

        first.Succeeded.Should().BeTrue("a conflicting peer is no reason to fail the tunnel");
        rig.Tunnel.Last!.Peers.Select(p => p.GatewayName).Should().Equal("edge1");
        rig.Tunnel.Last.Peers.Single().RemoteCidrs.Select(c => c.ToString()).Should().Contain("10.244.12.0/24", "edge1's change was still applied");
        third.Plan.Diagnostics.Where(d => d.Kind == DiagnosticKind.SkippedPeer).Select(d => d.Subject).Should().Equal("gateway/edge2", "gateway/edge3");
        rig.Events.Events.Select(e => (e.Gateway, e.Reason)).Should().Equal(("edge2", "TunnelPeerSkipped"), ("edge3", "TunnelPeerSkipped"));
        rig.Events.Events[0].Message.Should().Contain("edge3");
        rig.Engine.TunnelMetrics.SkippedPeers.WithLabels("wireguard").Value.Should().Be(2);
        second.Plan.Should().NotBeNull();
    }

    [Fact]
    public async Task A_peer_the_backend_refuses_is_reported_like_a_planned_skip()
    {
        var rig = Rig.Create();
        rig.Inputs.SetGateways(CloudAndTwoNatedEdges());
        rig.Tunnel.Refuse.Add("edge2");

        var report = await rig.Engine.ApplyOnceAsync(CancellationToken.None);

        report.Succeeded.Should().BeTrue();
        report.Plan.Diagnostics.Should().ContainSingle(d => d.Kind == DiagnosticKind.SkippedPeer && d.Subject == "gateway/edge2")
            .Which.Message.Should().Contain("refused by the fake backend");
        rig.Events.Events.Should().ContainSingle(e => e.Gateway == "edge2");
    }

    [Fact]
    public async Task Only_the_tunnel_gateway_records_events_for_skipped_peers()
    {
        var rig = Rig.Create(node: "cloud-w1");
        var gateways = CloudAndTwoNatedEdges();
        gateways[2].Status.ActiveEndpoints![0].Config!["publicKey"] = KeyOf("edge1-gw");
        rig.Inputs.SetGateways(gateways);

        var report = await rig.Engine.ApplyOnceAsync(CancellationToken.None);

        report.Plan.Role.Should().Be(PlanRole.DomainMember);
        report.Plan.SkippedPeers.Should().Be(2);
        rig.Events.Events.Should().BeEmpty();
    }

    private static async Task Until(Func<bool> condition, Action? step = null)
    {
        var end = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > end)
            {
                throw new TimeoutException("condition not met in time");
            }

            step?.Invoke();
            await Task.Delay(10);
        }
    }
}
