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

    public GatewayClaim Current => GatewayClaim.FromPacked(Interlocked.Read(ref _packed));

    public void Set(GatewayClaim claim) => Interlocked.Exchange(ref _packed, claim.Packed);
}
