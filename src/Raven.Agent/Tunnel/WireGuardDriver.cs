using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Linux;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel.WireGuard;
using WgPeer = Raven.Agent.Planning.WireGuardPeer;

namespace Raven.Agent.Tunnel;

/// <summary>
/// <see cref="WireGuardPlan"/> → wireguard-go (supervised by PID, adopted after an agent restart), its peers over
/// UAPI (only the difference, never replace_peers), and the link's MTU and state over rtnetlink. The private key
/// is persisted so the published public key survives restarts.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WireGuardDriver : IVpnDriver
{
    private readonly WireGuardDriverOptions _options;
    private readonly NetlinkReconciler _reconciler;
    private readonly ILogger _logger;
    private readonly PrivateKeyStore _keys;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WireGuardKey? _privateKey;
    private WireGuardGoSupervisor? _supervisor;
    private DesiredDevice? _desired;
    private DeviceConfig? _lastChange;

    public WireGuardDriver(WireGuardDriverOptions options, NetlinkReconciler reconciler, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        UapiSocket.ValidateInterfaceName(options.InterfaceName);
        _options = options;
        _reconciler = reconciler ?? throw new ArgumentNullException(nameof(reconciler));
        _logger = logger ?? NullLogger.Instance;
        _keys = new PrivateKeyStore(options.StateDirectory);
    }

    public string InterfaceName => _options.InterfaceName;

    public string PublicKey() => PrivateKey().PublicKey().ToBase64();

    public async Task<VpnApplyResult> ApplyAsync(WireGuardPlan? plan, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (plan is null)
            {
                var removed = await RemoveAsync(cancellationToken).ConfigureAwait(false);
                return removed ? new VpnApplyResult(true, $"{InterfaceName} removed") : VpnApplyResult.Unchanged;
            }

            _desired = Desired(plan);
            _lastChange = null;
            if (_supervisor is null)
            {
                var supervisor = new WireGuardGoSupervisor(new WireGuardGoOptions
                {
                    InterfaceName = InterfaceName,
                    NetworkNamespace = _options.NetworkNamespace,
                    Executable = _options.Executable,
                    LogFile = _options.LogFile,
                }, ConfigureAsync, _logger);
                await supervisor.StartAsync(cancellationToken).ConfigureAwait(false);
                _supervisor = supervisor;
                _logger.LogInformation("{Interface}: wireguard-go {How}", InterfaceName, supervisor.IsAdopted ? "adopted" : "started");
            }
            else
            {
                await ConfigureAsync(_supervisor.Client, cancellationToken).ConfigureAwait(false);
            }

            var linkChanged = EnsureLink(plan.Mtu);
            var change = _lastChange;
            var changed = linkChanged || change is { IsEmpty: false };
            return changed ? new VpnApplyResult(true, $"{InterfaceName}: {change}{(linkChanged ? ", link" : "")}") : VpnApplyResult.Unchanged;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<VpnPeerStatus>> PeersAsync(CancellationToken cancellationToken)
    {
        if (_supervisor is not { } supervisor)
        {
            return [];
        }

        var device = await supervisor.Client.GetDeviceAsync(cancellationToken).ConfigureAwait(false);
        return device.Peers.Select(p => new VpnPeerStatus(p.PublicKey.ToBase64(), p.LastHandshake, p.RxBytes, p.TxBytes)).ToList();
    }

    public async Task DetachAsync()
    {
        if (_supervisor is { } supervisor)
        {
            await supervisor.DetachAsync().ConfigureAwait(false);
            _supervisor = null;
        }
    }

    public async Task CleanupAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RemoveAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DetachAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private WireGuardKey PrivateKey() => _privateKey ??= _keys.LoadOrCreate();

    private async Task ConfigureAsync(UapiClient client, CancellationToken cancellationToken)
    {
        if (_desired is { } desired)
        {
            _lastChange = await new DeviceReconciler(client).ApplyAsync(desired, cancellationToken).ConfigureAwait(false);
        }
    }

    private DesiredDevice Desired(WireGuardPlan plan)
    {
        var peers = new List<DesiredPeer>();
        foreach (var peer in plan.Peers)
        {
            if (!WireGuardKey.TryParseBase64(peer.PublicKey, out var key))
            {
                _logger.LogWarning("{Interface}: peer {Gateway} has an invalid public key; skipped", InterfaceName, peer.GatewayName);
                continue;
            }

            peers.Add(ToDesired(peer, key) with { PresharedKey = _options.PresharedKey });
        }

        return new DesiredDevice { PrivateKey = PrivateKey(), ListenPort = plan.ListenPort, Peers = peers };
    }

    private static DesiredPeer ToDesired(WgPeer peer, WireGuardKey key) => new()
    {
        PublicKey = key,
        Endpoint = peer.Endpoint is { } e ? new IPEndPoint(e.Address, e.Port) : null,
        PersistentKeepalive = TimeSpan.FromSeconds(peer.PersistentKeepaliveSeconds ?? 0),
        AllowedIPs = peer.AllowedIps.Select(c => new IPNetwork(c.Network, c.PrefixLength)).ToList(),
    };

    private bool EnsureLink(int mtu)
    {
        var link = _reconciler.Netlink.GetLink(InterfaceName);
        var changed = false;
        if (link.Mtu != mtu)
        {
            _reconciler.Netlink.SetLinkMtu(link.Index, mtu);
            changed = true;
        }

        if (!link.AdminUp)
        {
            _reconciler.Netlink.SetLinkUp(link.Index, true);
            changed = true;
        }

        return changed;
    }

    /// <summary>Stops our daemon, or one an earlier agent left running (adopted first, then stopped by PID).</summary>
    private async Task<bool> RemoveAsync(CancellationToken cancellationToken)
    {
        _desired = null;
        var removed = false;
        if (_supervisor is null && await UapiClient.ForInterface(InterfaceName).IsAliveAsync(cancellationToken).ConfigureAwait(false))
        {
            _supervisor = new WireGuardGoSupervisor(new WireGuardGoOptions
            {
                InterfaceName = InterfaceName,
                NetworkNamespace = _options.NetworkNamespace,
                Executable = _options.Executable,
            }, (_, _) => Task.CompletedTask, _logger);
            await _supervisor.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_supervisor is { } supervisor)
        {
            await supervisor.StopAsync().ConfigureAwait(false);
            _supervisor = null;
            removed = true;
        }

        if (_reconciler.Netlink.FindLink(InterfaceName) is not null)
        {
            _reconciler.EnsureLinkAbsent(InterfaceName);
            removed = true;
        }

        return removed;
    }
}
