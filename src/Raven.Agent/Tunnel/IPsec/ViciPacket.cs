namespace Raven.Agent.Tunnel.IPsec;

/// <summary>One VICI packet: its type, the name for named types, the message for types that carry one.</summary>
public sealed record ViciPacket(ViciPacketType Type, string? Name = null, ViciSection? Message = null)
{
    public static ViciPacket Request(string command, ViciSection? arguments = null) =>
        new(ViciPacketType.CommandRequest, command, arguments ?? new ViciSection());

    public static ViciPacket Register(string eventName) => new(ViciPacketType.EventRegister, eventName);

    public static ViciPacket Unregister(string eventName) => new(ViciPacketType.EventUnregister, eventName);
}
