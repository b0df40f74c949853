using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Health.Probing;

/// <summary>
/// The thin I/O shell around one <see cref="ProbeSession"/>: a send loop on a periodic timer and a receive loop on
/// the target's own socket. Every decision is the session's; this class only moves datagrams and clock readings.
/// </summary>
internal sealed class TargetProbe : IAsyncDisposable
{
    private readonly ProbeSession _session;
    private readonly Socket _socket;
    private readonly ProbeKey? _key;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly TimeSpan _interval;
    private readonly Action<HealthTransition> _raise;
    private readonly ILogger _logger;
    private readonly SocketAddress _destination;
    private readonly byte[] _sendBuffer = new byte[ProbeWire.MaxLength];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loops = Task.CompletedTask;
    private long _authenticationFailures;
    private long _malformed;
    private long _sendErrors;
    private SocketError _lastSendError = SocketError.Success;
    private int _punch;

    public TargetProbe(
        ProbeTarget target,
        ProbeSession session,
        Socket socket,
        ProbeKey? key,
        TimeProvider time,
        long origin,
        TimeSpan interval,
        Action<HealthTransition> raise,
        ILogger logger)
    {
        Target = target;
        _session = session;
        _socket = socket;
        _key = key;
        _time = time;
        _origin = origin;
        _interval = interval;
        _raise = raise;
        _logger = logger;
        _destination = target.Destination.Serialize();
    }

    public ProbeTarget Target { get; }

    /// <summary>What every request from now on says about the punched path to the target (<see cref="ProbePacket.PunchFlags"/>).</summary>
    public ProbeFlags Punch
    {
        get => (ProbeFlags)Volatile.Read(ref _punch);
        set => Volatile.Write(ref _punch, (int)(value & ProbePacket.PunchFlags));
    }

    /// <summary>One request now, besides the timer's: tells the target a changed <see cref="Punch"/> at once.</summary>
    public void SendNow() => _ = Task.Run(() => SendOne([], new byte[ProbeWire.MaxLength]));

    public void Start() => _loops = Task.WhenAll(Task.Run(() => SendLoopAsync(_stop.Token)), Task.Run(() => ReceiveLoopAsync(_stop.Token)));

    public ProbeTargetStatus Status()
    {
        lock (_gate)
        {
            return new ProbeTargetStatus(Target, _session.Session, _session.Statistics(),
                Interlocked.Read(ref _authenticationFailures), Interlocked.Read(ref _malformed), Interlocked.Read(ref _sendErrors));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private TimeSpan Now() => _time.GetElapsedTime(_origin);

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        var transitions = new List<HealthTransition>();
        do
        {
            SendOne(transitions, _sendBuffer);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <param name="buffer">The timer's own buffer, or a fresh one for <see cref="SendNow"/>, which may run beside it.</param>
    private void SendOne(List<HealthTransition> transitions, byte[] buffer)
    {
        int length;
        lock (_gate)
        {
            var request = _session.NextRequest(Now(), transitions, Punch);
            length = ProbeCodec.Encode(request, _key, buffer);
        }

        Raise(transitions);
        var error = SocketError.Success;
        try
        {
            _socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, _destination);
        }
        catch (SocketException e)
        {
            error = e.SocketErrorCode;
            Interlocked.Increment(ref _sendErrors);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        if (error != _lastSendError)
        {
            if (error == SocketError.Success)
            {
                _logger.LogInformation("probe target {Target}: sending again", Target);
            }
            else
            {
                _logger.LogWarning("probe target {Target}: send failed ({Error}); probes count as missed until it works", Target, error);
            }

            _lastSendError = error;
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        // One byte more than the largest datagram, so an oversized one shows up as a bad length instead of fitting.
        var buffer = new byte[ProbeWire.MaxLength + 1];
        var from = new SocketAddress(_socket.AddressFamily);
        var transitions = new List<HealthTransition>();
        while (!cancellationToken.IsCancellationRequested)
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

            var status = ProbeCodec.TryDecode(buffer.AsSpan(0, received), _key, out var packet);
            if (status != ProbeDecodeStatus.Ok)
            {
                Interlocked.Increment(ref ProbeCodec.IsAuthenticationFailure(status) ? ref _authenticationFailures : ref _malformed);
                continue;
            }

            lock (_gate)
            {
                _session.OnReply(packet, Now(), transitions);
            }

            Raise(transitions);
        }
    }

    private void Raise(List<HealthTransition> transitions)
    {
        foreach (var transition in transitions)
        {
            _logger.LogInformation("{Transition}", transition);
            try
            {
                _raise(transition);
            }
#pragma warning disable CA1031 // A failing subscriber must not stop the probe loop that called it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _logger.LogError("probe target {Target}: a transition handler failed: {Error}", Target, e.Message);
            }
        }

        transitions.Clear();
    }
}
