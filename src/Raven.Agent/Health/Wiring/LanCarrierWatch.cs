using System.Net;
using Microsoft.Extensions.Logging;
using Raven.Agent.Health.Failover;

namespace Raven.Agent.Health.Wiring;

/// <summary>
/// A tunnel endpoint's LAN carrier, read each decision round so a cut link counts at once, not only when the witnesses
/// fall silent; logs one line per change of the reading (the first reading included), never one per round.
/// </summary>
public sealed class LanCarrierWatch(ILanCarrierReader reader, ILogger logger)
{
    private volatile LanCarrierReading? _current;

    /// <summary>The latest reading; null before the first.</summary>
    public LanCarrierReading? Current => _current;

    public LinkCarrier Read(IPAddress nodeIp)
    {
        var reading = reader.Read(nodeIp);
        if (reading == _current)
        {
            return reading.Carrier;
        }

        _current = reading;
        switch (reading.Carrier)
        {
            case LinkCarrier.Up:
                logger.LogInformation("LAN carrier: {Reading}", reading);
                break;
            case LinkCarrier.Down:
                logger.LogWarning("LAN carrier: {Reading}; this gateway's LAN counts as unhealthy: it does not take its domain over and yields to a fit peer", reading);
                break;
            default:
                logger.LogWarning("LAN carrier: {Reading}; counted as up, the witnesses alone judge this gateway's LAN", reading);
                break;
        }

        return reading.Carrier;
    }
}
