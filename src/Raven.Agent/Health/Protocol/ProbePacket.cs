namespace Raven.Agent.Health.Protocol;

/// <summary>
/// One probe datagram, request or reply, in the same layout. A reply echoes the request's session, sequence and
/// timestamp and puts its own node id, flags, uplink and epoch in; the other fields of a request are zero.
/// </summary>
/// <param name="Session">The prober's session id (discriminator): random per prober session, echoed, so replies are
/// matched by it and not by source address (NAT, a standby answering for a virtual address), and a restarted prober
/// never takes a reply meant for its previous run.</param>
/// <param name="Sequence">The prober's sequence number within the session, echoed.</param>
/// <param name="Timestamp">The prober's monotonic send time in nanoseconds, echoed untouched.</param>
/// <param name="NodeId">The sender's <see cref="ProbeNodeId"/>: the prober's in a request, the responder's in a reply.</param>
/// <param name="Uplink">Reply: how many remote domains the responder reaches through its tunnels (saturates at 255).</param>
/// <param name="Epoch">Reply: the take-over epoch of the responder's <see cref="ProbeFlags.Serving"/> claim.</param>
public readonly record struct ProbePacket(
    ProbeType Type,
    ProbeFlags Flags,
    uint Session,
    uint Sequence,
    ulong Timestamp,
    ulong NodeId,
    byte Uplink,
    uint Epoch)
{
    /// <param name="punch">The prober's punched-path state towards the responder (<see cref="ProbeFlags.PunchReady"/>, <see cref="ProbeFlags.PunchDirect"/>).</param>
    public static ProbePacket Request(uint session, uint sequence, ulong timestamp, ulong nodeId, ProbeFlags punch = ProbeFlags.None) =>
        new(ProbeType.Request, punch & PunchFlags, session, sequence, timestamp, nodeId, 0, 0);

    /// <summary>The flags a request may carry.</summary>
    public const ProbeFlags PunchFlags = ProbeFlags.PunchReady | ProbeFlags.PunchDirect;

    /// <summary>A request's punched-path state.</summary>
    public ProbeFlags Punch => Flags & PunchFlags;

    /// <summary>The reply to this request: the echoed fields plus the responder's identity and claim.</summary>
    public ProbePacket ReplyFrom(ulong responderNodeId, GatewayClaim claim) =>
        new(ProbeType.Reply, claim.Flags, Session, Sequence, Timestamp, responderNodeId, claim.Uplink, claim.Epoch);

    /// <summary>The claim a reply carries.</summary>
    public GatewayClaim Claim => new(
        (Flags & ProbeFlags.Serving) != 0, (Flags & ProbeFlags.Yielding) != 0, Epoch, Uplink);
}
