using Raven.Api;
using Raven.Api.Meta;
using Raven.Api.V1Beta1;
using Raven.Controller.Election;
using Raven.Controller.Runtime;

namespace Raven.Controller.Tests.Election;

/// <summary>Issue 14 item 5: gateways whose agents run different VPN drivers are reported on the Gateway, once.</summary>
public class MixedDriverTests
{
    private static readonly FeatureSwitches Both = new(Tunnel: true, Proxy: true);
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly NodeFacts[] Members = [new("a-1", true, null, "192.168.1.10", ["10.244.1.0/24"])];

    /// <summary>gw-a whose agent on a-1 published <paramref name="driver"/> on its tunnel endpoint (null: nothing yet).</summary>
    private static Gateway GatewayA(string? driver) => new()
    {
        Metadata = new() { Name = "gw-a", Generation = 1 },
        Spec = new GatewaySpec
        {
            TunnelConfig = new() { Replicas = 1 },
            Endpoints =
            [
                new Endpoint
                {
                    NodeName = "a-1", Type = WellKnown.EndpointTypeTunnel, Port = 4500,
                    Config = driver is null ? null : new() { [WellKnown.VpnDriverConfigKey] = driver },
                },
            ],
        },
    };

    private static GatewayMembers Other(string name, string? driver) =>
        new(name, [new NodeFacts($"{name}-1", true, null, "192.168.9.10", ["10.244.9.0/24"])]) { VpnDriver = driver };

    private static Condition DriversCondition(StatusDecision decision) =>
        decision.Status.Conditions!.Single(c => c.Type == GatewayConditions.TunnelDriversMatch);

    [Fact]
    public void A_gateway_running_another_driver_sets_the_condition_false_and_warns_naming_both_drivers()
    {
        var decision = GatewayStatusBuilder.Decide(GatewayA("vxlan"), Members, Both, Now,
            [Other("gw-c", "vxlan"), Other("gw-b", "wireguard"), Other("gw-d", null)]);

        var condition = DriversCondition(decision);
        condition.Status.Should().Be("False");
        condition.Reason.Should().Be("MixedDrivers");
        condition.Message.Should().Be("gateway gw-b runs wireguard, this gateway runs vxlan", "gw-c matches and gw-d has not published one");
        var warning = decision.Events.Should().ContainSingle(e => e.Reason == GatewayStatusBuilder.EventMixedVpnDrivers).Subject;
        warning.Warning.Should().BeTrue();
        warning.Message.Should().Contain("gateway gw-a runs the vxlan VPN driver and gateway gw-b runs wireguard");
    }

    [Fact]
    public void A_known_mismatch_is_not_announced_twice_and_matching_drivers_keep_the_condition_true()
    {
        var gw = GatewayA("vxlan");
        var mixed = GatewayStatusBuilder.Decide(gw, Members, Both, Now, [Other("gw-b", "wireguard")]);
        gw.Status = mixed.Status;

        var repeated = GatewayStatusBuilder.Decide(gw, Members, Both, Now.AddMinutes(1), [Other("gw-b", "wireguard")]);
        var healed = GatewayStatusBuilder.Decide(gw, Members, Both, Now.AddMinutes(2), [Other("gw-b", "vxlan")]);
        var unknown = GatewayStatusBuilder.Decide(GatewayA(null), Members, Both, Now, [Other("gw-b", "wireguard")]);

        repeated.Events.Should().NotContain(e => e.Reason == GatewayStatusBuilder.EventMixedVpnDrivers);
        DriversCondition(repeated).LastTransitionTime.Should().Be(DriversCondition(mixed).LastTransitionTime);
        DriversCondition(healed).Should().Match<Condition>(c => c.Status == "True" && c.Reason == "Match" && c.Message.Contains("vxlan"));
        DriversCondition(unknown).Should().Match<Condition>(c => c.Status == "True" && c.Reason == "Unknown");
        unknown.Events.Should().NotContain(e => e.Reason == GatewayStatusBuilder.EventMixedVpnDrivers);
    }

    [Fact]
    public void A_gateway_switching_driver_re_checks_every_gateway()
    {
        static Gateway WithActiveDriver(string driver) => new()
        {
            Metadata = new() { Name = "gw-b" },
            Status = new() { ActiveEndpoints = [new Endpoint { NodeName = "b-1", Type = WellKnown.EndpointTypeTunnel, Config = new() { [WellKnown.VpnDriverConfigKey] = driver } }] },
        };

        var switched = KeyRouter.KeysFor(WithActiveDriver("wireguard"), WithActiveDriver("vxlan"), () => ["gw-a", "gw-b"], _ => null);
        var same = KeyRouter.KeysFor(WithActiveDriver("vxlan"), WithActiveDriver("vxlan"), () => ["gw-a", "gw-b"], _ => null);

        switched.Should().Contain(["pickup/gw-a", "pickup/gw-b"]);
        same.Should().Contain("pickup/gw-b").And.NotContain("pickup/gw-a");
    }
}
