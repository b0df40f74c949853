using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Health.Probing;

/// <summary>
/// The claim the responder puts into every reply. The wiring sets it after each failover decision; the responder
/// reads it per packet without locking or allocating (one 64-bit word).
/// </summary>
public sealed class ResponderState
{
    private long _packed;

    public ResponderState(GatewayClaim initial = default) => Set(initial);

    public GatewayClaim Current
    {
        get
        {
            long packed = Interlocked.Read(ref _packed);
            var flags = (ProbeFlags)(packed & 0xff);
            return new GatewayClaim(
                (flags & ProbeFlags.Serving) != 0,
                (flags & ProbeFlags.Yielding) != 0,
                (uint)(packed >> 16),
                (byte)(packed >> 8));
        }
    }

    public void Set(GatewayClaim claim) =>
        Interlocked.Exchange(ref _packed, (long)(byte)claim.Flags | ((long)claim.Uplink << 8) | ((long)claim.Epoch << 16));
}
