namespace Raven.Agent.Nat;

/// <summary>
/// RFC 5389 §7.2.1 retransmission over UDP: send, wait RTO, send again doubling the wait, up to
/// <see cref="MaxRequests"/> requests (Rc), then wait <see cref="FinalWaitMultiplier"/> × the initial RTO (Rm)
/// for a last answer. RFC values (500 ms, 7, 16) give up after 39.5 s.
/// </summary>
public sealed record StunRetransmission(TimeSpan InitialRto, int MaxRequests, int FinalWaitMultiplier)
{
    public static StunRetransmission Rfc5389 { get; } = new(TimeSpan.FromMilliseconds(500), 7, 16);

    /// <summary>
    /// For tests that expect silence when the NAT filters (the filtering tests): a lost request is still repeated
    /// three times, and silence is concluded after 5.5 s instead of 39.5 s.
    /// </summary>
    public static StunRetransmission Probe { get; } = new(TimeSpan.FromMilliseconds(500), 4, 4);

    /// <summary>When each request is sent, relative to the first, and when the transaction has failed.</summary>
    public (IReadOnlyList<TimeSpan> Sends, TimeSpan GiveUp) Schedule()
    {
        var sends = new List<TimeSpan>();
        var at = TimeSpan.Zero;
        var rto = InitialRto;
        for (int i = 0; i < MaxRequests; i++)
        {
            sends.Add(at);
            if (i < MaxRequests - 1)
            {
                at += rto;
                rto *= 2;
            }
        }

        return (sends, at + (InitialRto * FinalWaitMultiplier));
    }

    public string? Problem() =>
        InitialRto <= TimeSpan.Zero ? "stun initial RTO must be positive"
        : MaxRequests is < 1 or > 16 ? "stun requests per transaction must be 1..16"
        : FinalWaitMultiplier is < 1 or > 64 ? "stun final wait multiplier must be 1..64"
        : null;
}
