using System.Net;

namespace Raven.Agent.Proxy.Tunnel;

/// <summary>One dial command sent on one session, as part of a (possibly hedged) dial.</summary>
internal sealed class DialAttempt : IDisposable
{
    private readonly CancellationTokenRegistration _sessionEnded;

    public DialAttempt(long id, TunnelSession session, DnsEndPoint target)
    {
        Id = id;
        Session = session;
        Pending = new PendingDial(session.NodeName, target);
        // A session that ends before answering will never answer: fail the attempt at once so the dial moves on.
        _sessionEnded = session.Closed.Register(static state =>
        {
            var attempt = (DialAttempt)state!;
            attempt.Pending.TryComplete(TunnelDialResult.Failed(TunnelDialStatus.NoTunnel,
                $"the session of proxy client \"{attempt.Session.NodeName}\" ended before it answered"));
        }, this);
    }

    public long Id { get; }

    public TunnelSession Session { get; }

    public PendingDial Pending { get; }

    /// <summary>Its result has been taken into account.</summary>
    public bool Settled { get; set; }

    public void Dispose() => _sessionEnded.Dispose();
}
