using System.Net;

namespace Raven.Agent.Health.Wiring;

/// <summary>
/// Reads the carrier of the device that holds this node's IP (its LAN, the VXLAN underlay). The monitor asks once per
/// decision round on a tunnel gateway; tests pass a fake. Never throws: what cannot be read is
/// <see cref="Failover.LinkCarrier.Unknown"/>, with the reason in the detail.
/// </summary>
public interface ILanCarrierReader
{
    LanCarrierReading Read(IPAddress nodeIp);
}
