using System.Text.Json.Serialization;

namespace Raven.Api.DataPlane;

/// <summary>
/// The MTUs an agent plans with beside the ones its node's kernel has (read over rtnetlink), carried in
/// <see cref="DataPlaneReport.Mtu"/> so `raven diagnose` can tell a wire smaller than the plan (tunnel and VXLAN
/// packets fragmented or dropped) without shelling into nodes. Device values are null where the device is absent
/// (no raven0 on a node without L3, no tunnel device on a member) or could not be read.
/// </summary>
public sealed record MtuReport
{
    /// <summary>The underlay MTU the planner assumes (raven-agent-config underlay-mtu; 1500 by default).</summary>
    [JsonPropertyName("plannedUnderlayMtu")]
    public int PlannedUnderlayMtu { get; init; }

    /// <summary>The MTU the plan puts on table 9027/9028 routes; null when the node plans no L3 state.</summary>
    [JsonPropertyName("plannedRouteMtu")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? PlannedRouteMtu { get; init; }

    /// <summary>The node's own (private) IP the agent uses: VXLAN and tunnel packets leave from the device holding it.</summary>
    [JsonPropertyName("nodeIp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? NodeIp { get; init; }

    /// <summary>The device that holds <see cref="NodeIp"/>; null when none does.</summary>
    [JsonPropertyName("underlayDevice")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UnderlayDevice { get; init; }

    [JsonPropertyName("underlayDeviceMtu")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? UnderlayDeviceMtu { get; init; }

    /// <summary>raven0's MTU in the kernel; null when raven0 does not exist.</summary>
    [JsonPropertyName("vxlanDeviceMtu")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? VxlanDeviceMtu { get; init; }

    /// <summary>The tunnel device (raven-wg0, the IPsec TUN) on a gateway; null on members.</summary>
    [JsonPropertyName("tunnelDevice")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TunnelDevice { get; init; }

    /// <summary>The tunnel device's MTU in the kernel; null when it does not exist.</summary>
    [JsonPropertyName("tunnelDeviceMtu")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TunnelDeviceMtu { get; init; }
}
