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
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

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
        _loop = Task.Run(() => ReceiveLoopAsync(_stop.Token));
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

    /// <summary>How many distinct nodes sent a valid request within the last <paramref name="window"/>.</summary>
    public int PeersHeardWithin(TimeSpan window) => _peers.HeardSince(Now() - window);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private TimeSpan Now() => _time.GetElapsedTime(_origin);

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        // One byte more than the largest datagram, so an oversized one shows up as a bad length instead of fitting.
        var buffer = new byte[ProbeWire.MaxLength + 1];
        var from = new SocketAddress(_socket.AddressFamily);
        while (true)
        {
            int received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, from, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused
                or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
            {
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
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

        _peers.Heard(request.NodeId, now);
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
