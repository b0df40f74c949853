using Raven.Agent.Health.Failover;

namespace Raven.Agent.Health.Wiring;

/// <summary>One reading of the LAN device's carrier: the value for the decision, the device read, and what the kernel said.</summary>
/// <param name="Device">The device holding the node IP; null when none was found.</param>
/// <param name="Detail">For the log: the kernel's flags, or why nothing could be read. Stable while nothing changes.</param>
public sealed record LanCarrierReading(LinkCarrier Carrier, string? Device, string Detail)
{
    public override string ToString() => Device is null ? $"{Carrier.ToString().ToLowerInvariant()} ({Detail})" : $"{Device} {Carrier.ToString().ToLowerInvariant()} ({Detail})";
}
