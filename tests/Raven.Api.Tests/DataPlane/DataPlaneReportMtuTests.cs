using Raven.Api.DataPlane;

namespace Raven.Api.Tests.DataPlane;

/// <summary>The lease annotation's optional mtu: written camelCase, read back whole, absent from older agents.</summary>
public sealed class DataPlaneReportMtuTests
{
    private static readonly MtuReport Gateway = new()
    {
        PlannedUnderlayMtu = 1500,
        PlannedRouteMtu = 1440,
        NodeIp = "172.16.2.1",
        UnderlayDevice = "eth0",
        UnderlayDeviceMtu = 1500,
        VxlanDeviceMtu = 1450,
        TunnelDevice = "raven-wg0",
        TunnelDeviceMtu = 1440,
    };

    [Fact]
    public void A_report_with_mtu_round_trips_and_names_its_fields_in_camel_case()
    {
        var text = new DataPlaneReport { Serving = new Dictionary<string, string> { ["gw-a"] = "a-1" }, Mtu = Gateway }.Serialize();

        text.Should().Be("""{"claim":null,"serving":{"gw-a":"a-1"},"mtu":{"plannedUnderlayMtu":1500,"plannedRouteMtu":1440,"nodeIp":"172.16.2.1","underlayDevice":"eth0","underlayDeviceMtu":1500,"vxlanDeviceMtu":1450,"tunnelDevice":"raven-wg0","tunnelDeviceMtu":1440}}""");
        DataPlaneReport.TryParse(text)!.Mtu.Should().Be(Gateway);
    }

    [Fact]
    public void Devices_a_node_does_not_have_are_left_out()
    {
        var member = new MtuReport { PlannedUnderlayMtu = 1500, NodeIp = "10.0.0.9" };

        var text = new DataPlaneReport { Mtu = member }.Serialize();

        text.Should().Be("""{"claim":null,"serving":{},"mtu":{"plannedUnderlayMtu":1500,"nodeIp":"10.0.0.9"}}""");
        DataPlaneReport.TryParse(text)!.Mtu.Should().Be(member);
    }

    [Fact]
    public void A_report_from_an_older_agent_parses_without_mtu_and_is_written_back_the_same()
    {
        const string older = """{"claim":{"serving":true,"yielding":false,"epoch":3},"serving":{"gw-a":"a-1"}}""";

        var report = DataPlaneReport.TryParse(older);

        report.Should().NotBeNull();
        report!.Mtu.Should().BeNull();
        report.Claim.Should().Be(new DataPlaneClaim { Serving = true, Epoch = 3 });
        report.Serialize().Should().Be(older, "no mtu means no mtu field, so the controller and older readers see what they always saw");
    }

    [Fact]
    public void A_newer_agents_unknown_mtu_fields_are_ignored()
    {
        var report = DataPlaneReport.TryParse("""{"claim":null,"serving":{},"mtu":{"plannedUnderlayMtu":9000,"somethingNew":1}}""");

        report!.Mtu.Should().Be(new MtuReport { PlannedUnderlayMtu = 9000 });
    }
}
