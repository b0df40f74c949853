using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Engine;
using Raven.Agent.Linux;
using Raven.Api.V1Beta1;

namespace Raven.Agent.Nat.Wiring;

/// <summary>
/// Runs NAT discovery in the agent: the exposed gateway's active endpoint serves STUN; an active tunnel endpoint
/// under NAT asks it, from the tunnel's own port, at start and every <see cref="NatServiceOptions.Interval"/>, and
/// publishes publicIP / publicPort / natType on its spec tunnel endpoint when <see cref="NatPublication"/> says so.
/// The engine reports every pass (<see cref="Observe"/>); roles follow the Gateways, so a failover moves the
/// responder or the discovery with the active endpoint.
/// </summary>
public sealed partial class NatService(NatServiceOptions options, IGatewayPublisher publisher, ILogger? logger = null, TimeProvider? time = null) : IAsyncDisposable
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile NatRole _role = new NatRole.None("no pass yet");
    private StunResponder? _responder;
    private IPAddress? _responderAddress;
    private NatPublicationState _publication = NatPublicationState.Empty;
    private IPEndPoint? _askedServer;
    private DateTimeOffset _nextRun = DateTimeOffset.MinValue;

    /// <summary>Runs served so far (for tests and metrics); a failed run counts too.</summary>
    public int Runs { get; private set; }

    /// <summary>The last run's result, or null before the first.</summary>
    public NatDiscoveryResult? LastResult { get; private set; }

    /// <summary>Requests the responder answered (0 when this node does not serve).</summary>
    public long Answered => _responder?.Answered ?? 0;

    public void Observe(IReadOnlyList<Gateway> gateways)
    {
        var role = NatRole.For(gateways, options.NodeName, options.PrimaryPort);
        if (role != _role)
        {
            _role = role;
            _wake.Writer.TryWrite(true);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var role = _role;
            await SetResponderAsync((role as NatRole.Responder)?.PublicAddress).ConfigureAwait(false);
            var wait = Timeout.InfiniteTimeSpan;
            if (role is NatRole.Discover discover)
            {
                if (!discover.Server.Equals(_askedServer) || _time.GetUtcNow() >= _nextRun)
                {
                    await DiscoverAsync(discover, cancellationToken).ConfigureAwait(false);
                }

                wait = _nextRun - _time.GetUtcNow();
                if (wait < TimeSpan.Zero)
                {
                    wait = TimeSpan.Zero;
                }
            }

            using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (wait != Timeout.InfiniteTimeSpan)
            {
                delay.CancelAfter(wait);
            }

            try
            {
                await _wake.Reader.ReadAsync(delay.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The next run is due.
            }
        }
    }

    private async Task DiscoverAsync(NatRole.Discover role, CancellationToken cancellationToken)
    {
        _askedServer = role.Server;
        NatDiscoveryResult result;
        try
        {
            await using var client = new StunClient(InNamespace(() => OperatingSystem.IsLinux()
                ? StunTransports.Open(TunnelPortMode.Auto, options.TunnelPort, role.Server.Address)
                : throw new PlatformNotSupportedException("NAT discovery from the tunnel's port needs Linux")), _time);
            result = await NatProbe.RunAsync(client, options.Discovery(role.Server), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            result = NatDiscoveryResult.Failed(NatDiscoveryFailure.Transport, ex.Message);
        }

        Runs++;
        LastResult = result;
        _nextRun = _time.GetUtcNow() + (result.IsSuccess ? options.Interval : options.RetryAfterFailure);
        if (!result.IsSuccess)
        {
            LogFailed(role.Server, result.ToString(), options.RetryAfterFailure.TotalSeconds);
            return;
        }

        var decision = NatPublication.Decide(new NatPublicationInput { Current = role.Current, Discovery = result, PublicIpPinned = options.PublicIpPinned }, _publication);
        _publication = decision.State;
        decision.Warnings.ToList().ForEach(w => LogWarning(w));
        if (decision.Write is not { } write)
        {
            LogUnchanged(result.ToString(), decision.Reason);
            return;
        }

        try
        {
            await publisher.PublishNatFieldsAsync(role.GatewayName, options.NodeName, write, cancellationToken).ConfigureAwait(false);
            LogPublished(role.GatewayName, result.ToString(), decision.Reason);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next run decides again from what the API then says.
            _nextRun = _time.GetUtcNow() + options.RetryAfterFailure;
            LogPublishFailed(role.GatewayName, ex.Message);
        }
    }

    private async Task SetResponderAsync(IPAddress? publicAddress)
    {
        if (Equals(publicAddress, _responderAddress))
        {
            return;
        }

        if (_responder is not null)
        {
            await _responder.DisposeAsync().ConfigureAwait(false);
            _responder = null;
            LogResponderStopped();
        }

        _responderAddress = publicAddress;
        if (publicAddress is null)
        {
            return;
        }

        try
        {
            var layout = new StunResponderLayout(publicAddress, null, options.PrimaryPort, options.AlternatePort, options.ChangeSourcePort);
            _responder = InNamespace(() => StunResponder.Start(new StunResponderOptions { Layout = layout }, _time, _logger));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IOException)
        {
            // Retried when the role changes again; edges keep their published values meanwhile.
            LogResponderFailed(ex.Message);
        }
    }

    private T InNamespace<T>(Func<T> open) => options.NetworkNamespace is { } ns ? NetworkNamespace.Run(ns, open) : open();

    public async ValueTask DisposeAsync()
    {
        _wake.Writer.TryComplete();
        if (_responder is not null)
        {
            await _responder.DisposeAsync().ConfigureAwait(false);
            _responder = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "nat discovery: published on gateway {Gateway}: {Result}; {Reason}")]
    private partial void LogPublished(string gateway, string result, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "nat discovery: {Result}; {Reason}")]
    private partial void LogUnchanged(string result, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "nat discovery against {Server} failed, retrying in {Seconds} s: {Result}")]
    private partial void LogFailed(IPEndPoint server, string result, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "nat discovery: {Warning}")]
    private partial void LogWarning(string warning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "nat discovery: publishing on gateway {Gateway} failed, retrying later: {Error}")]
    private partial void LogPublishFailed(string gateway, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "stun responder not started: {Error}")]
    private partial void LogResponderFailed(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "stun responder stopped: this node no longer serves the exposed gateway")]
    private partial void LogResponderStopped();
}
