namespace Raven.Agent.Health.Protocol;

/// <summary>
/// What a gateway says about itself in every probe reply: whether it carries its domain's traffic, whether it offers
/// that to a higher-priority gateway, since which take-over epoch, and how many remote domains it reaches. Members and
/// non-gateway nodes answer with <see cref="None"/>.
/// </summary>
public readonly record struct GatewayClaim(bool Serving, bool Yielding, uint Epoch, byte Uplink)
{
    public static GatewayClaim None => default;

    public ProbeFlags Flags =>
        (Serving ? ProbeFlags.Serving : ProbeFlags.None) | (Serving && Yielding ? ProbeFlags.Yielding : ProbeFlags.None);

    /// <summary>The claim as one 64-bit word: flags, uplink, epoch (what <c>ResponderState</c> holds and the probe stand-in is given).</summary>
    public long Packed => (long)(byte)Flags | ((long)Uplink << 8) | ((long)Epoch << 16);

    public static GatewayClaim FromPacked(long packed)
    {
        var flags = (ProbeFlags)(packed & 0xff);
        return new GatewayClaim((flags & ProbeFlags.Serving) != 0, (flags & ProbeFlags.Yielding) != 0, (uint)(packed >> 16), (byte)(packed >> 8));
    }

    public static byte SaturatedUplink(int remoteDomainsReached) => (byte)Math.Clamp(remoteDomainsReached, 0, byte.MaxValue);

    public override string ToString() =>
        (Serving ? (Yielding ? "serving (yielding)" : "serving") : "standby") + $" epoch {Epoch} uplink {Uplink}";
}
