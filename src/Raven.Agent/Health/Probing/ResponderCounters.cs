namespace Raven.Agent.Health.Probing;

/// <summary>Counters of one responder since it started; each datagram lands in exactly one of the outcome counters.</summary>
public sealed class ResponderCounters
{
    private long _received;
    private long _replies;
    private long _authenticationFailures;
    private long _malformed;
    private long _rateLimited;
    private long _ignoredReplies;
    private long _sendErrors;

    /// <summary>Every datagram that arrived.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Requests answered.</summary>
    public long Replies => Interlocked.Read(ref _replies);

    /// <summary>Dropped for a missing, unexpected or wrong MAC: never answered.</summary>
    public long AuthenticationFailures => Interlocked.Read(ref _authenticationFailures);

    /// <summary>Dropped as not a version-1 probe datagram.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Valid requests not answered because their source exceeded its rate.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>Replies sent to the responder: never answered, so two responders cannot ping-pong.</summary>
    public long IgnoredReplies => Interlocked.Read(ref _ignoredReplies);

    /// <summary>Answers the kernel refused to send.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    public override string ToString() =>
        $"received {Received}, replies {Replies}, auth failures {AuthenticationFailures}, malformed {Malformed}, " +
        $"rate-limited {RateLimited}, ignored replies {IgnoredReplies}, send errors {SendErrors}";

    internal void CountReceived() => Interlocked.Increment(ref _received);

    internal void CountReply() => Interlocked.Increment(ref _replies);

    internal void CountAuthenticationFailure() => Interlocked.Increment(ref _authenticationFailures);

    internal void CountMalformed() => Interlocked.Increment(ref _malformed);

    internal void CountRateLimited() => Interlocked.Increment(ref _rateLimited);

    internal void CountIgnoredReply() => Interlocked.Increment(ref _ignoredReplies);

    internal void CountSendError() => Interlocked.Increment(ref _sendErrors);
}
