namespace Raven.Agent.Health.Failover;

public sealed record FailoverOptions
{
    /// <summary>
    /// How long a gateway's uplink must stay below the best before it counts as unfit. Gateways detect a remote
    /// domain's death within one probe interval of each other and learn each other's uplink one reply later, so
    /// 250 ms (2.5 intervals) tells "my WAN is cut" from "that remote died" without moving anything in the latter case.
    /// </summary>
    public TimeSpan UplinkConfirm { get; init; } = TimeSpan.FromMilliseconds(250);

    public FailoverOptions Validated() =>
        UplinkConfirm >= TimeSpan.Zero && UplinkConfirm <= TimeSpan.FromMinutes(1)
            ? this
            : throw new ArgumentException("failover option UplinkConfirm must be between 0 and 1 min", nameof(UplinkConfirm));
}
