using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;

namespace Raven.Agent.Nat;

/// <summary>How the client reaches the responder from the tunnel's local port.</summary>
public enum TunnelPortMode
{
    /// <summary>A plain socket if the port is free, the raw transport if a tunnel daemon holds it.</summary>
    Auto,
    Plain,
    Raw,
}

public static class StunTransports
{
    /// <summary>Opens the transport for <paramref name="localPort"/> towards the responder, in the requested mode.</summary>
    [SupportedOSPlatform("linux")]
    public static IStunTransport Open(TunnelPortMode mode, int localPort, IPAddress responder) => mode switch
    {
        TunnelPortMode.Plain => UdpStunTransport.Open(localPort, responder),
        TunnelPortMode.Raw => RawUdpStunTransport.Open(localPort, responder),
        _ => OpenAuto(localPort, responder),
    };

    [SupportedOSPlatform("linux")]
    private static IStunTransport OpenAuto(int localPort, IPAddress responder)
    {
        try
        {
            return UdpStunTransport.Open(localPort, responder);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse && localPort != 0)
        {
            return RawUdpStunTransport.Open(localPort, responder);
        }
    }
}
