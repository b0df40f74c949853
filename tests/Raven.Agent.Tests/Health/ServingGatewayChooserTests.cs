using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Failover;
using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Tests.Health;

/// <summary>How a member or a remote gateway picks a domain's serving gateway from its own probes.</summary>
public sealed class ServingGatewayChooserTests
{
    private static readonly GatewayClaim Standby = new(false, false, 1, 1);

    public static TheoryData<string, GatewayObservation[], string?, string?, ChoiceReason> Cases() => new()
    {
        { "the newest claim wins over priority",
            [Up("p", Serves(1)), Up("s", Serves(2))], "p", "s", ChoiceReason.ClaimedServing },
        { "equal epochs go by priority",
            [Up("p", Serves(2)), Up("s", Serves(2))], "s", "p", ChoiceReason.ClaimedServing },
        { "a yielding gateway still serves",
            [Up("p", Standby), Up("s", Serves(2) with { Yielding = true })], "p", "s", ChoiceReason.ClaimedServing },
        { "a claim from a gateway that is Down from here does not count",
            [Down("p", Serves(5)), Up("s", Standby)], "p", "s", ChoiceReason.FirstUp },
        { "a gateway answering again in hold-down that claims to serve is followed",
            [Answering("p", Serves(1)), Up("s", Standby)], "s", "p", ChoiceReason.ClaimedServing },
        { "a newer claim still wins over one answering again",
            [Answering("p", Serves(1)), Up("s", Serves(2))], "p", "s", ChoiceReason.ClaimedServing },
        { "no claim and the current gateway answers again: nothing moves",
            [Answering("p", Standby), Up("s", Standby)], "p", "p", ChoiceReason.KeptCurrent },
        { "no claim and the current gateway is Up: nothing moves",
            [Up("p", Standby), Up("s", Standby)], "s", "s", ChoiceReason.KeptCurrent },
        { "no claim and the current gateway is Down: the first Up in priority order",
            [Down("p", Serves(1)), Up("s", Standby), Up("t", Standby)], "p", "s", ChoiceReason.FirstUp },
        { "Unknown is not Up",
            [new("p", HealthState.Unknown), Up("s", Standby)], null, "s", ChoiceReason.FirstUp },
        { "nothing Up from here: keep the current gateway",
            [Down("p", Serves(1)), Down("s", Standby)], "s", "s", ChoiceReason.NothingUpKeptCurrent },
        { "nothing Up at startup: the controller's primary",
            [new("p", HealthState.Unknown), new("s", HealthState.Unknown)], null, "p", ChoiceReason.NothingUpPrimary },
        { "a current gateway no longer in the list is not kept",
            [Down("p", Standby), Down("s", Standby)], "gone", "p", ChoiceReason.NothingUpPrimary },
        { "no gateways", [], "p", null, ChoiceReason.NoGateways },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Chooses(string what, GatewayObservation[] gateways, string? current, string? expected, ChoiceReason reason)
    {
        var choice = ServingGatewayChooser.Choose(gateways, current);

        choice.NodeName.Should().Be(expected, what);
        choice.Reason.Should().Be(reason, what);
        choice.Explanation.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void At_startup_with_nothing_Up_a_node_uses_the_gateway_the_status_records_as_serving_and_never_one_outside_the_domain()
    {
        GatewayObservation[] unknown = [new("p", HealthState.Unknown), new("s", HealthState.Unknown)];

        ServingGatewayChooser.Choose(unknown, null, recorded: "s").NodeName.Should().Be("s", "the standby took over before this node started");
        ServingGatewayChooser.Choose(unknown, null, recorded: "gone").NodeName.Should().Be("p");
        ServingGatewayChooser.Choose([Up("p", Serves(3)), new("s", HealthState.Unknown)], null, recorded: "s").NodeName
            .Should().Be("p", "a live claim outranks the record");
    }

    private static GatewayClaim Serves(uint epoch) => new(true, false, epoch, 1);

    private static GatewayObservation Up(string name, GatewayClaim claim) => new(name, HealthState.Up, claim);

    private static GatewayObservation Down(string name, GatewayClaim claim) => new(name, HealthState.Down, claim);

    private static GatewayObservation Answering(string name, GatewayClaim claim) => new(name, HealthState.Down, claim) { Answering = true };
}
