using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Linux;
using Raven.Agent.Planning;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// The IPsec backend behind the tunnel seam: <see cref="TunnelPlan"/> → one charon connection per remote gateway
/// (<see cref="IpsecPlanMapper"/>) → <see cref="IpsecTunnel"/>. Table 9028 stays the routing step's: the plan's
/// routes point at charon's TUN device and this backend only gives them a source address inside the local traffic
/// selector (<see cref="RouteSource"/>). The TUN device's MTU is the plan's.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class IpsecBackend : ITunnelBackend
{
    /// <summary>How often initiator connections without any SA are initiated again (<see cref="IpsecTunnel.RetryAsync"/>), at most.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The first retry after an apply that changed connections; doubling up to <see cref="RetryInterval"/>. A fresh
    /// initiation often meets a peer that has not loaded its side yet (NO_PROPOSAL_CHOSEN); that peer loads it a
    /// moment later, so the retry comes within about twice that moment, not a fixed interval later.
    /// </summary>
    public static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);

    private readonly SemaphoreSlim _retryWake = new(0, 1);

    /// <summary>kernel-libipsec names its device ipsec%d: the first in a namespace is ipsec0.</summary>
    public const string DefaultDevice = "ipsec0";

    private readonly NetlinkReconciler _reconciler;
    private readonly IpsecTunnel _tunnel;
    private readonly CharonOptions _charon;
    private readonly string _nodeName;
    private readonly TimeSpan _deadPeerDelay;
    private readonly bool _hasKey;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CancellationTokenSource? _retry;
    private Task? _retryLoop;
    private volatile string? _device;
    private volatile IReadOnlyList<(IPNetwork Remote, IPAddress? Source)> _sources = [];

    /// <summary>From the registry. Without a PSK the backend can still clean up; applying a plan throws.</summary>
    public IpsecBackend(TunnelBackendContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _reconciler = context.Reconciler ?? throw new ArgumentException("a netlink reconciler is required", nameof(context));
        _logger = context.Loggers?.CreateLogger("raven.agent.ipsec") ?? NullLogger.Instance;
        _nodeName = context.NodeName;
        _deadPeerDelay = context.KeepAliveInterval;
        _charon = IpsecSeam.CharonOptionsFor(context);
        _hasKey = !string.IsNullOrEmpty(context.PresharedKeySecret);
        _tunnel = new IpsecTunnel(new IpsecTunnelOptions
        {
            Charon = _charon,
            PresharedKey = _hasKey ? PresharedKey.From(context.PresharedKeySecret) : null,
            RouteTable = null,
            Mtu = null,
        }, _logger);
    }

    public ITunnelProfile Profile => IpsecProfile.Instance;

    /// <summary>charon's TUN device once known (found through its file descriptor), else the name it gets in a fresh namespace.</summary>
    public string InterfaceName => _device ?? DefaultDevice;

    /// <summary>The IPsec façade this backend drives (tests read charon's SAs through it).</summary>
    public IpsecTunnel Tunnel => _tunnel;

    /// <summary>Peers authenticate with the cluster PSK and the node names as IKE identities: nothing to publish.</summary>
    public IReadOnlyDictionary<string, string> PublishedConfig() => new Dictionary<string, string>(StringComparer.Ordinal);

    public async Task<TunnelApplyOutcome> ApplyAsync(TunnelPlan? plan, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (plan is null)
            {
                return await RemoveAsync(cancellationToken).ConfigureAwait(false)
                    ? new TunnelApplyOutcome(true, "charon stopped", []) : TunnelApplyOutcome.Unchanged;
            }

            if (!_hasKey)
            {
                throw new IpsecConfigurationException(PresharedKey.MissingMessage);
            }

            var specs = IpsecPlanMapper.Map(plan, _nodeName, _deadPeerDelay);
            var result = await _tunnel.ApplyAsync(specs, cancellationToken).ConfigureAwait(false);
            StartRetrying(soon: result.Changed);
            var mtuChanged = false;
            if (result.Device is { } device)
            {
                _device = device;
                mtuChanged = EnsureMtu(device, plan.Mtu);
            }

            _sources = IpsecSeam.Sources(specs, _reconciler.Netlink.ListAddresses().Select(a => a.Address).ToList());
            if (result.Device is { } actual && actual != plan.Device)
            {
                // The plan's routes and MSS clamp named the device before charon had created it; the retry re-plans.
                throw new InvalidOperationException($"charon's TUN device is {actual}, the plan routed via {plan.Device}; the next pass uses {actual}");
            }

            var skipped = result.Diagnostics
                .Where(d => d.Message.StartsWith(IpsecTunnel.SkippedPrefix, StringComparison.Ordinal))
                .Select(d => new SkippedTunnelPeer(IpsecSeam.GatewayOf(d.Connection), d.Message[IpsecTunnel.SkippedPrefix.Length..]))
                .ToList();
            var changed = result.Changed || mtuChanged;
            return new TunnelApplyOutcome(changed, changed ? $"ipsec: {result}{(mtuChanged ? "; mtu" : "")}" : "", skipped);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<TunnelConnection>> ConnectionsAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var statuses = await _tunnel.ConnectionsAsync(cancellationToken).ConfigureAwait(false);
        return statuses.Select(s => IpsecSeam.ToConnection(s, now)).ToList();
    }

    public IPAddress? RouteSource(PlannedRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (route.Device != InterfaceName)
        {
            return null;
        }

        var destination = new IPNetwork(route.Destination.Network, route.Destination.PrefixLength);
        return _sources.FirstOrDefault(s => Covers(s.Remote, destination)).Source;
    }

    public async Task DetachAsync()
    {
        await StopRetryingAsync().ConfigureAwait(false);
        await _tunnel.DetachAsync().ConfigureAwait(false);
    }

    public async Task CleanupAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StopRetryingAsync().ConfigureAwait(false);
            await _tunnel.CleanupAsync(cancellationToken).ConfigureAwait(false);
            _device = null;
            _sources = [];
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopRetryingAsync().ConfigureAwait(false);
        await _tunnel.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
        _retryWake.Dispose();
    }

    private static bool Covers(IPNetwork outer, IPNetwork inner) =>
        outer.BaseAddress.AddressFamily == inner.BaseAddress.AddressFamily && inner.PrefixLength >= outer.PrefixLength && outer.Contains(inner.BaseAddress);

    private bool EnsureMtu(string device, int mtu)
    {
        if (_reconciler.Netlink.FindLink(device) is not { } link || link.Mtu == mtu)
        {
            return false;
        }

        _reconciler.Netlink.SetLinkMtu(link.Index, mtu);
        return true;
    }

    /// <summary>Stops our charon or one an earlier agent left; true when there was one.</summary>
    private async Task<bool> RemoveAsync(CancellationToken cancellationToken)
    {
        var running = _tunnel.Supervisor is not null || CharonIdentityFile.Read(_charon.IdentityPath) is not null;
        if (!running)
        {
            return false;
        }

        await StopRetryingAsync().ConfigureAwait(false);
        await _tunnel.CleanupAsync(cancellationToken).ConfigureAwait(false);
        _device = null;
        _sources = [];
        _logger.LogInformation("IPsec: no tunnel in the plan, charon stopped");
        return true;
    }

    private void StartRetrying(bool soon)
    {
        if (soon && _retryWake.CurrentCount == 0)
        {
            try
            {
                _retryWake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
        }

        if (_retryLoop is not null)
        {
            return;
        }

        _retry = new CancellationTokenSource();
        var token = _retry.Token;
        _retryLoop = Task.Run(() => RetryLoopAsync(token), CancellationToken.None);
    }

    private async Task RetryLoopAsync(CancellationToken token)
    {
        var backoff = new Raven.Kube.Resilience.Backoff(FirstRetry, RetryInterval);
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (await _retryWake.WaitAsync(backoff.Next(), token).ConfigureAwait(false))
                {
                    // Connections changed: start again from the short delay.
                    backoff.Reset();
                    continue;
                }

                try
                {
                    await _tunnel.RetryAsync(token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is ViciException or IOException or System.Net.Sockets.SocketException or TimeoutException)
                {
                    // charon restarting: its supervisor reloads everything, the next tick tries again.
                    _logger.LogDebug("IPsec: retrying initiations failed: {Error}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task StopRetryingAsync()
    {
        if (_retry is null || _retryLoop is null)
        {
            return;
        }

        await _retry.CancelAsync().ConfigureAwait(false);
        await _retryLoop.ConfigureAwait(false);
        _retry.Dispose();
        _retry = null;
        _retryLoop = null;
    }
}
