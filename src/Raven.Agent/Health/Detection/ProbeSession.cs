using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Health.Detection;

/// <summary>
/// The pure core of probing one target: numbers requests, remembers when each was sent, matches replies by session,
/// sequence and echoed send time, declares misses when the reply timeout passes, and feeds the
/// <see cref="FailureDetector"/> in sequence order. Time is a monotonic offset passed in; nothing here does I/O.
/// Not thread-safe: the I/O shell serialises calls.
/// </summary>
public sealed class ProbeSession
{
    private const int RttGainShift = 3;
    private readonly DetectorOptions _options;
    private readonly Slot[] _slots;
    private readonly FailureDetector _detector;
    private uint _nextSequence = 1;
    private uint _oldestPending = 1;
    private long _sent;
    private long _replies;
    private long _misses;
    private long _late;
    private long _rejected;
    private TimeSpan? _lastRtt;
    private TimeSpan? _smoothedRtt;
    private ulong? _lastResponder;
    private GatewayClaim? _lastClaim;

    public ProbeSession(string target, uint session, ulong nodeId, DetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validated();
        _detector = new FailureDetector(target, _options);
        _slots = new Slot[_options.LossWindow];
        Session = session;
        NodeId = nodeId;
    }

    private enum SlotState : byte
    {
        Empty,
        Pending,
        Replied,
        Missed,
        Late,
    }

    public string Target => _detector.Target;

    /// <summary>This session's discriminator: every reply must echo it.</summary>
    public uint Session { get; }

    /// <summary>The prober's own node id, sent in every request.</summary>
    public ulong NodeId { get; }

    public HealthState State => _detector.State;

    /// <summary>The claim of the last accepted reply, kept while the target is Down (the last thing it said).</summary>
    public GatewayClaim? LastClaim => _lastClaim;

    /// <summary>The next request to send now. Expire first, so an overdue probe is decided before its slot is reused.</summary>
    public ProbePacket NextRequest(TimeSpan now, ICollection<HealthTransition> transitions, ProbeFlags punch = ProbeFlags.None)
    {
        Expire(now, transitions);
        uint sequence = _nextSequence++;
        ref var slot = ref _slots[sequence % (uint)_slots.Length];
        if (slot.State == SlotState.Pending)
        {
            Miss(ref slot, now, transitions);
        }

        slot = new Slot(sequence, now, SlotState.Pending);
        _sent++;
        return ProbePacket.Request(Session, sequence, WireTimestamp(now), NodeId, punch);
    }

    /// <summary>Decides every pending probe whose reply timeout has passed, oldest first. Returns how many missed.</summary>
    public int Expire(TimeSpan now, ICollection<HealthTransition> transitions)
    {
        int missed = 0;
        while (_oldestPending != _nextSequence)
        {
            ref var slot = ref _slots[_oldestPending % (uint)_slots.Length];
            if (slot.Sequence == _oldestPending && slot.State == SlotState.Pending)
            {
                if (now - slot.SentAt < _options.ReplyTimeout)
                {
                    break;
                }

                Miss(ref slot, now, transitions);
                missed++;
            }

            _oldestPending++;
        }

        return missed;
    }

    /// <summary>Takes one decoded datagram that arrived on this target's socket.</summary>
    public ReplyOutcome OnReply(in ProbePacket reply, TimeSpan now, ICollection<HealthTransition> transitions)
    {
        Expire(now, transitions);
        var status = Classify(reply, out int index);
        if (status is not ReplyStatus.Accepted and not ReplyStatus.Late)
        {
            _rejected++;
            return new ReplyOutcome(status, TimeSpan.Zero);
        }

        ref var slot = ref _slots[index];
        var rtt = now - slot.SentAt;
        Sample(rtt);
        _lastResponder = reply.NodeId;
        _lastClaim = reply.Claim;
        if (status == ReplyStatus.Late)
        {
            slot.State = SlotState.Late;
            _late++;
        }
        else
        {
            slot.State = SlotState.Replied;
            _replies++;
            Add(transitions, _detector.OnReply(now));
        }

        return new ReplyOutcome(status, rtt);
    }

    public ProbeStatistics Statistics() => new(
        _detector.State,
        _detector.ConsecutiveReplies,
        _detector.ConsecutiveMisses,
        _sent,
        _replies,
        _misses,
        _late,
        _rejected,
        LossRatio(),
        _lastRtt,
        _smoothedRtt,
        _lastResponder,
        _lastClaim,
        _detector.TransitionCount,
        _detector.LastTransition);

    /// <summary>The send time as it goes on the wire: nanoseconds of the monotonic offset.</summary>
    public static ulong WireTimestamp(TimeSpan now) => (ulong)now.Ticks * 100;

    private ReplyStatus Classify(in ProbePacket reply, out int index)
    {
        index = (int)(reply.Sequence % (uint)_slots.Length);
        if (reply.Type != ProbeType.Reply)
        {
            return ReplyStatus.NotAReply;
        }

        if (reply.Session != Session)
        {
            return ReplyStatus.WrongSession;
        }

        ref var slot = ref _slots[index];
        if (slot.State == SlotState.Empty || slot.Sequence != reply.Sequence)
        {
            return ReplyStatus.UnknownSequence;
        }

        if (reply.Timestamp != WireTimestamp(slot.SentAt))
        {
            return ReplyStatus.TimestampMismatch;
        }

        return slot.State switch
        {
            SlotState.Pending => ReplyStatus.Accepted,
            SlotState.Missed => ReplyStatus.Late,
            _ => ReplyStatus.Duplicate,
        };
    }

    private void Miss(ref Slot slot, TimeSpan now, ICollection<HealthTransition> transitions)
    {
        slot.State = SlotState.Missed;
        _misses++;
        Add(transitions, _detector.OnMiss(now));
    }

    private void Sample(TimeSpan rtt)
    {
        _lastRtt = rtt;
        _smoothedRtt = _smoothedRtt is { } srtt
            ? srtt + TimeSpan.FromTicks((rtt.Ticks - srtt.Ticks) >> RttGainShift)
            : rtt;
    }

    private double LossRatio()
    {
        int decided = 0;
        int lost = 0;
        foreach (var slot in _slots)
        {
            if (slot.State is SlotState.Replied or SlotState.Missed or SlotState.Late)
            {
                decided++;
                lost += slot.State == SlotState.Replied ? 0 : 1;
            }
        }

        return decided == 0 ? 0 : (double)lost / decided;
    }

    private static void Add(ICollection<HealthTransition> transitions, HealthTransition? transition)
    {
        if (transition is not null)
        {
            transitions.Add(transition);
        }
    }

    private record struct Slot(uint Sequence, TimeSpan SentAt, SlotState State);
}
