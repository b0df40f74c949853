using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Health.Probing;

/// <summary>
/// Answers probe requests on one UDP address: decode, authenticate, rate-limit the source, then turn the request
/// into its reply in the same buffer (same length, so never larger than what came in) and send it back. One receive
/// loop, one buffer, no allocation per datagram. Replies carry this node's id and the claim in <see cref="State"/>.
/// The loop runs on a thread of its own, never on the thread pool: peers judge this node alive by how fast it
/// answers (200 ms), and an agent starting up on a busy node keeps the pool's few threads busy for longer than that;
/// a reply queued behind that work was a false failover (seen in a rollout restart under CI load).
/// </summary>
public sealed class ProbeResponder : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ProbeKey? _key;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly ulong _nodeId;
    private readonly SourceRateLimiter _limiter;
    private readonly PeerActivity _peers;
    /// <summary>How often the blocked receive wakes up to see whether the responder is being disposed.</summary>
    private static readonly TimeSpan StopCheckInterval = TimeSpan.FromMilliseconds(200);

    private readonly Thread _loop;
    private volatile bool _stopping;

    private ProbeResponder(ResponderOptions options, Socket socket, ProbeKey? key, ResponderState state, TimeProvider time)
    {
        _socket = socket;
        _key = key;
        _time = time;
        _origin = time.GetTimestamp();
        _nodeId = ProbeNodeId.Of(options.NodeName);
        _limiter = new SourceRateLimiter(options.RepliesPerSecondPerSource, options.BurstPerSource, options.MaxTrackedSources);
        _peers = new PeerActivity(options.MaxTrackedSources);
        State = state;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _socket.ReceiveTimeout = (int)StopCheckInterval.TotalMilliseconds;
        _loop = new Thread(ReceiveLoop) { IsBackground = true, Name = $"probe-responder:{LocalEndPoint.Port}" };
        _loop.Start();
    }

    public IPEndPoint LocalEndPoint { get; }

    public ResponderState State { get; }

    public ResponderCounters Counters { get; } = new();

    /// <summary>Binds the socket (inside the options' namespace) and starts answering.</summary>
    /// <exception cref="SocketException">The address cannot be bound (in use, not local).</exception>
    public static ProbeResponder Start(
        ResponderOptions options, ProbeKey? key, ResponderState? state = null, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        var socket = ProbeSockets.OpenResponder(options.BindAddress, options.Port, options.NetworkNamespace);
        var responder = new ProbeResponder(options, socket, key, state ?? new ResponderState(), time ?? TimeProvider.System);
        (logger ?? NullLogger.Instance).LogInformation(
            "probe responder {Node} on udp {Endpoint}: {Auth}", options.NodeName, responder.LocalEndPoint,
            key is null ? "UNAUTHENTICATED (no VPN_CONNECTION_PSK): replies can be forged by anyone on the path" : key.ToString());
        return responder;
    }

    /// <summary>How long ago a valid request from this node arrived; null if never (since this responder started).</summary>
    public TimeSpan? SinceLastHeard(ulong nodeId) => _peers.LastHeard(nodeId) is { } at ? Now() - at : null;

    /// <summary>
    /// What the node's latest request said about its punched path to this node, if that request arrived within the
    /// last <paramref name="window"/>; null: not heard that recently.
    /// </summary>
    public ProbeFlags? PunchFrom(ulong nodeId, TimeSpan window) => _peers.PunchSince(nodeId, Now() - window);

    /// <summary>How many distinct nodes sent a valid request within the last <paramref name="window"/>.</summary>
    public int PeersHeardWithin(TimeSpan window) => _peers.HeardSince(Now() - window);

    public ValueTask DisposeAsync()
    {
        _stopping = true;
        // The loop leaves within one StopCheckInterval (or at once when the close interrupts its receive); the socket
        // is closed after it, so no reply is sent on a closed handle.
        _loop.Join();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private TimeSpan Now() => _time.GetElapsedTime(_origin);

    private void ReceiveLoop()
    {
        // One byte more than the largest datagram, so an oversized one shows up as a bad length instead of fitting.
        var buffer = new byte[ProbeWire.MaxLength + 1];
        var from = new SocketAddress(_socket.AddressFamily);
        while (!_stopping)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.ConnectionReset
                or SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.Interrupted)
            {
                continue;
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                return;
            }

            Answer(buffer, received, from);
        }
    }

    private void Answer(byte[] buffer, int received, SocketAddress from)
    {
        Counters.CountReceived();
        var status = ProbeCodec.TryDecode(buffer.AsSpan(0, received), _key, out var request);
        if (status != ProbeDecodeStatus.Ok)
        {
            if (ProbeCodec.IsAuthenticationFailure(status))
            {
                Counters.CountAuthenticationFailure();
            }
            else
            {
                Counters.CountMalformed();
            }

            return;
        }

        if (request.Type != ProbeType.Request)
        {
            Counters.CountIgnoredReply();
            return;
        }

        // Authenticated before rate-limited: forged datagrams cannot use up a real prober's tokens.
        var now = Now();
        if (!_limiter.TryTake(SourceRateLimiter.KeyOf(from), now))
        {
            Counters.CountRateLimited();
            return;
        }

        _peers.Heard(request.NodeId, now, request.Punch);
        int length = ProbeCodec.Encode(request.ReplyFrom(_nodeId, State.Current), _key, buffer);
        try
        {
            _socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, from);
            Counters.CountReply();
        }
        catch (SocketException)
        {
            Counters.CountSendError();
        }
    }
}
