namespace Raven.Agent.Health.Failover;

/// <summary>
/// Whether a gateway's own LAN side works, the condition under which it may take its domain over: a standby whose
/// LAN link is cut sees the primary "down" too, and must not pull the domain's traffic to a node the members
/// cannot reach.
/// </summary>
public static class LanHealth
{
    /// <param name="carrier">The carrier of the LAN (underlay) device. <see cref="LinkCarrier.Unknown"/> counts as up: a
    /// device the agent cannot find or read says nothing about the LAN, and the witnesses still judge it; only a
    /// carrier the kernel reports lost makes the LAN unhealthy on its own.</param>
    /// <param name="witnesses">Nodes that could vouch for this node's LAN: the domain's members and its other gateways,
    /// except the higher-priority gateways whose failure is being judged.</param>
    /// <param name="witnessesHeard">Witnesses heard recently: a valid probe request from them reached this node's
    /// responder, or this node's LAN probe to them is Up.</param>
    /// <returns>Carrier, plus a witness heard — or carrier alone when there is nobody who could vouch.</returns>
    public static bool Judge(LinkCarrier carrier, int witnesses, int witnessesHeard) =>
        carrier != LinkCarrier.Down && (witnesses == 0 || witnessesHeard > 0);
}
