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

    public static byte SaturatedUplink(int remoteDomainsReached) => (byte)Math.Clamp(remoteDomainsReached, 0, byte.MaxValue);

    public override string ToString() =>
        (Serving ? (Yielding ? "serving (yielding)" : "serving") : "standby") + $" epoch {Epoch} uplink {Uplink}";
}
