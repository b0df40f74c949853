namespace Raven.Agent.Health.Failover;

/// <summary>What the kernel says about the carrier of a gateway's LAN (underlay) device, as an input of <see cref="LanHealth"/>.</summary>
public enum LinkCarrier
{
    /// <summary>Not read: the device holding the node IP was not found, or reading it failed. Counts as up.</summary>
    Unknown,

    Up,

    /// <summary>The device is down or has no carrier: nothing leaves this node over the LAN.</summary>
    Down,
}
