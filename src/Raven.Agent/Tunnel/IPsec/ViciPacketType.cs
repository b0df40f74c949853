namespace Raven.Agent.Tunnel.IPsec;

/// <summary>The first byte of every VICI packet (strongSwan's vici plugin README, "Packet layer").</summary>
public enum ViciPacketType : byte
{
    /// <summary>Named request with a message (client to charon).</summary>
    CommandRequest = 0,

    /// <summary>Unnamed response with a message.</summary>
    CommandResponse = 1,

    /// <summary>Unnamed answer: charon has no handler for the requested command.</summary>
    CommandUnknown = 2,

    /// <summary>Named event registration (client to charon).</summary>
    EventRegister = 3,

    /// <summary>Named event deregistration (client to charon).</summary>
    EventUnregister = 4,

    /// <summary>Unnamed answer: (de)registration done.</summary>
    EventConfirm = 5,

    /// <summary>Unnamed answer: charon has no event source of that name.</summary>
    EventUnknown = 6,

    /// <summary>Named event with a message (charon to client), also streamed during list-sas and list-conns.</summary>
    Event = 7,
}

internal static class ViciPacketTypes
{
    public static bool IsNamed(this ViciPacketType type) =>
        type is ViciPacketType.CommandRequest or ViciPacketType.EventRegister or ViciPacketType.EventUnregister or ViciPacketType.Event;

    public static bool HasMessage(this ViciPacketType type) =>
        type is ViciPacketType.CommandRequest or ViciPacketType.CommandResponse or ViciPacketType.Event;

    public static bool IsDefined(byte value) => value <= (byte)ViciPacketType.Event;
}
