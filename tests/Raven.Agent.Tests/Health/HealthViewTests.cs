using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Protocol;
using Raven.Agent.Health.Wiring;
using Raven.Api.V1Beta1;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Health;

/// <summary>
/// Which order the health wiring reads a domain's gateways in. The controller lists the serving endpoint first in
/// status.activeEndpoints; priority must not follow that, or a recorded claim feeds back into the next one.
/// </summary>
public sealed class HealthViewTests
{
    /// <param name="recorded">status.activeEndpoints as the controller last wrote it (serving endpoint first).</param>
    private static Gateway[] Hangzhou(params string[] recorded)
    {
        var hangzhou = Gateway("hangzhou", null,
            Node("hz-1", "192.168.1.11", "10.244.10.0/26"), Node("hz-2", "192.168.1.12", "10.244.10.64/26"), Node("hz-3", "192.168.1.13", "10.244.10.128/25"));
        hangzhou.Spec.Endpoints = [TunnelEndpoint("hz-1", "198.51.100.21"), TunnelEndpoint("hz-2", "198.51.100.22")];
        hangzhou.Status.ActiveEndpoints = [.. recorded.Select(n => TunnelEndpoint(n, null))];
        return [Gateway("cloud", TunnelEndpoint("cloud-gw", "203.0.113.10"), Node("cloud-gw", "172.16.0.10", "10.244.0.0/24")).Exposed(), hangzhou];
    }

    [Fact]
    public void Gateways_are_in_spec_order_whatever_order_the_status_records_and_the_recorded_first_is_kept_apart()
    {
        var afterTakeOver = HealthView.From(Hangzhou("hz-2", "hz-1"), "hz-3").Own!;

        afterTakeOver.GatewayNames.Should().Equal("hz-1", "hz-2");
        afterTakeOver.Recorded.Should().Be("hz-2");
        afterTakeOver.Members.Select(m => m.NodeName).Should().Equal("hz-3");
    }

    [Fact]
    public void An_elected_endpoint_missing_from_the_spec_comes_after_the_listed_ones()
    {
        var own = HealthView.From(Hangzhou("hz-3", "hz-2"), "hz-1").Own!;

        own.GatewayNames.Should().Equal("hz-2", "hz-3");
        own.Recorded.Should().Be("hz-3");
    }

    [Fact]
    public void A_serving_standby_decides_the_same_whichever_of_the_two_gateways_the_status_lists_first()
    {
        // hz-2 took over (epoch 2) and hz-1 is back and fit. Before, the order came from the status: hz-2 yielded
        // whenever the controller had last recorded hz-1 first, and hz-1 took over whenever it read itself first.
        var probes = new Dictionary<string, ProbeStatistics>(StringComparer.Ordinal)
        {
            [HealthTargets.Lan("hz-1")] = Probe(HealthState.Up, new GatewayClaim(false, false, 1, 1)),
            [HealthTargets.Lan("hz-3")] = Probe(HealthState.Up),
            [HealthTargets.Tunnel("cloud", "cloud-gw")] = Probe(HealthState.Up),
        };

        var outcomes = new[] { Hangzhou("hz-1", "hz-2"), Hangzhou("hz-2", "hz-1") }.Select(cluster =>
        {
            var decider = new HealthDecider(restored: new GatewayClaim(true, false, 2, 1));
            var decision = decider.Decide(HealthView.From(cluster, "hz-2"), n => probes.GetValueOrDefault(n), _ => TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10));
            return (decision.Claim, Serving: decision.Serving["hangzhou"]);
        }).ToList();

        outcomes[1].Should().Be(outcomes[0]);
        outcomes[0].Claim.Yielding.Should().BeTrue("the spec primary is back and fit: hz-2 hands the domain to it, whatever the status says");
    }

    private static ProbeStatistics Probe(HealthState state, GatewayClaim? claim = null) =>
        new(state, 5, 0, 0, 0, 0, 0, 0, 0, null, null, null, claim, 0, null);
}
