using Raven.Api.Defaulting;
using Raven.Api.Meta;

namespace Raven.Api.Tests;

public class DefaultingTests
{
    [Fact]
    public void Node_selector_is_created_with_the_gateway_label()
    {
        var gateway = GatewayBuilder.Valid("gw-a");
        gateway.Spec.NodeSelector = null;

        GatewayDefaults.Apply(gateway).Should().BeTrue();

        gateway.Spec.NodeSelector!.MatchLabels.Should().Equal(new Dictionary<string, string> { [WellKnown.GatewayLabel] = "gw-a" });
    }

    [Fact]
    public void Existing_selector_labels_are_kept_and_the_gateway_label_is_merged()
    {
        var gateway = GatewayBuilder.Valid("gw-a");
        gateway.Spec.NodeSelector = new LabelSelector { MatchLabels = new() { ["zone"] = "east", [WellKnown.GatewayLabel] = "stale" } };

        GatewayDefaults.Apply(gateway);

        gateway.Spec.NodeSelector.MatchLabels.Should().Contain("zone", "east").And.Contain(WellKnown.GatewayLabel, "gw-a");
    }

    [Fact]
    public void Selector_with_expressions_only_gets_match_labels()
    {
        var gateway = GatewayBuilder.Valid("gw-a");
        gateway.Spec.NodeSelector = new LabelSelector { MatchExpressions = [new() { Key = "k", Operator = "Exists" }] };

        GatewayDefaults.Apply(gateway);

        gateway.Spec.NodeSelector.MatchLabels.Should().ContainKey(WellKnown.GatewayLabel);
        gateway.Spec.NodeSelector.MatchExpressions.Should().HaveCount(1);
    }

    [Theory]
    [InlineData("proxy", 0, 10262)]
    [InlineData("tunnel", 0, 4500)]
    [InlineData("tunnel", 4501, 4501)]
    [InlineData("other", 0, 0)]
    public void Endpoint_ports_default_by_type(string type, int port, int expected)
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.Endpoints = [GatewayBuilder.Endpoint("n", type, port: port)];

        GatewayDefaults.Apply(gateway);

        gateway.Spec.Endpoints[0].Port.Should().Be(expected);
    }

    [Fact]
    public void Defaulting_twice_changes_nothing_the_second_time()
    {
        var gateway = GatewayBuilder.Valid();
        GatewayDefaults.Apply(gateway);

        GatewayDefaults.Apply(gateway).Should().BeFalse();
    }
}
