using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Linux;
using Raven.Agent.Planning;
using Raven.Api.Net;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>
/// <see cref="TunnelPlan"/> → wireguard-go (supervised by PID, adopted after an agent restart), its peers over
/// UAPI (only the difference, never replace_peers), and the link's MTU and state over rtnetlink. The private key
/// is persisted so the published public key survives restarts. A peer without a usable key, or with the key of an
/// earlier peer, is skipped and reported; the others are configured.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WireGuardBackend : ITunnelBackend
{
    /// <summary>WireGuard rejects data after 180 s without a new handshake (REJECT_AFTER_TIME): older means down.</summary>
    public static readonly TimeSpan HandshakeWindow = TimeSpan.FromMinutes(3);

    private readonly WireGuardBackendOptions _options;
    private readonly NetlinkReconciler _reconciler;
    private readonly ILogger _logger;
    private readonly PrivateKeyStore _keys;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WireGuardKey? _privateKey;
    private WireGuardGoSupervisor? _supervisor;
    private DesiredDevice? _desired;
    private DeviceConfig? _lastChange;
    private IReadOnlyDictionary<string, string> _gatewayByKey = new Dictionary<string, string>(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, string> _nodeByKey = new Dictionary<string, string>(StringComparer.Ordinal);
    private readonly HandshakeKick _kick = new();
    private readonly long _origin = System.Diagnostics.Stopwatch.GetTimestamp();
    private CancellationTokenSource? _kickStop;
    private Task? _kickLoop;

    /// <summary>How often pending first handshakes are looked at (only while there are some; see <see cref="HandshakeKick"/>).</summary>
    public static readonly TimeSpan KickCheck = TimeSpan.FromMilliseconds(50);

    /// <summary>From the registry: the context's interface, state directory, namespace and PSK.</summary>
    public WireGuardBackend(TunnelBackendContext context)
        : this(new WireGuardBackendOptions
        {
            InterfaceName = context.InterfaceName,
            StateDirectory = context.StateDirectory,
            NetworkNamespace = context.NetworkNamespace,
            PresharedKey = WireGuardBackendOptions.PresharedKeyFrom(context.PresharedKeySecret),
        }, context.Reconciler, context.Loggers?.CreateLogger("raven.agent.wireguard"))
    {
    }

    public WireGuardBackend(WireGuardBackendOptions options, NetlinkReconciler reconciler, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        UapiSocket.ValidateInterfaceName(options.InterfaceName);
        _options = options;
        _reconciler = reconciler ?? throw new ArgumentNullException(nameof(reconciler));
        _logger = logger ?? NullLogger.Instance;
        _keys = new PrivateKeyStore(options.StateDirectory);
    }

    public ITunnelProfile Profile => WireGuardProfile.Instance;

    public string InterfaceName => _options.InterfaceName;

    public string PublicKey() => PrivateKey().PublicKey().ToBase64();

    public IReadOnlyDictionary<string, string> PublishedConfig() =>
        new Dictionary<string, string>(StringComparer.Ordinal) { [WireGuardProfile.PublicKeyConfigKey] = PublicKey() };

    public async Task<TunnelApplyOutcome> ApplyAsync(TunnelPlan? plan, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (plan is null)
            {
                var removed = await RemoveAsync(cancellationToken).ConfigureAwait(false);
                return removed ? new TunnelApplyOutcome(true, $"{InterfaceName} removed", []) : TunnelApplyOutcome.Unchanged;
            }

            var skipped = new List<SkippedTunnelPeer>();
            _desired = Desired(plan, skipped);
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
            _kick.Track(_desired.Peers, Elapsed());
            if (_kick.HasPending && _kickLoop is null)
            {
                _kickStop?.Dispose();
                _kickStop = new CancellationTokenSource();
                _kickLoop = Task.Run(() => KickLoopAsync(_kickStop.Token), CancellationToken.None);
            }

            var change = _lastChange;
            var changed = linkChanged || change is { IsEmpty: false };
            return new TunnelApplyOutcome(changed, changed ? $"{InterfaceName}: {change}{(linkChanged ? ", link" : "")}" : "", skipped);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The device's peers as wireguard-go reports them (the WireGuard-specific extra behind <see cref="ConnectionsAsync"/>).</summary>
    public async Task<IReadOnlyList<WireGuardPeer>> PeersAsync(CancellationToken cancellationToken)
    {
        if (_supervisor is not { } supervisor)
        {
            return [];
        }

        var device = await supervisor.Client.GetDeviceAsync(cancellationToken).ConfigureAwait(false);
        return device.Peers;
    }

    public async Task<IReadOnlyList<TunnelConnection>> ConnectionsAsync(CancellationToken cancellationToken)
    {
        var peers = await PeersAsync(cancellationToken).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        var names = _gatewayByKey;
        var nodes = _nodeByKey;
        return peers.Select(p =>
        {
            var key = p.PublicKey.ToBase64();
            var state = p.LastHandshake is not { } at ? TunnelConnectionState.Connecting
                : now - at <= HandshakeWindow ? TunnelConnectionState.Up : TunnelConnectionState.Down;
            return new TunnelConnection(names.GetValueOrDefault(key) ?? key, key, state, p.LastHandshake, p.RxBytes, p.TxBytes)
            {
                Node = nodes.GetValueOrDefault(key),
                Endpoint = p.Endpoint?.ToString(),
            };
        }).ToList();
    }

    public async Task DetachAsync()
    {
        await StopKickingAsync().ConfigureAwait(false);
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

    private TimeSpan Elapsed() => System.Diagnostics.Stopwatch.GetElapsedTime(_origin);

    /// <summary>Re-creates peers whose first handshake is due again; ends when none is pending (the next apply restarts it).</summary>
    private async Task KickLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(KickCheck, cancellationToken).ConfigureAwait(false);
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (!_kick.HasPending || _supervisor is not { } supervisor || _desired is not { } desired)
                    {
                        _kickLoop = null;
                        return;
                    }

                    var device = await supervisor.Client.GetDeviceAsync(cancellationToken).ConfigureAwait(false);
                    var due = _kick.Due(device.Peers, Elapsed());
                    var peers = desired.Peers.Where(p => due.Contains(p.PublicKey)).SelectMany(HandshakeKick.Recreate).ToList();
                    if (peers.Count > 0)
                    {
                        await supervisor.Client.ConfigureAsync(new DeviceConfig { Peers = peers }, cancellationToken).ConfigureAwait(false);
                        _logger.LogDebug("{Interface}: no first handshake yet with {Peers}; initiating again", InterfaceName,
                            string.Join(", ", due.Select(k => _gatewayByKey.GetValueOrDefault(k.ToBase64()) ?? k.ToBase64())));
                    }
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Only a faster first handshake is lost; WireGuard's own retries still run. The next apply restarts the loop.
            _logger.LogDebug(ex, "{Interface}: handshake kick stopped", InterfaceName);
            _kickLoop = null;
        }
    }

    private async Task StopKickingAsync()
    {
        if (_kickStop is { } stop && _kickLoop is { } loop)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await loop.ConfigureAwait(false);
        }

        _kickStop?.Dispose();
        _kickStop = null;
        _kickLoop = null;
    }

    private WireGuardKey PrivateKey() => _privateKey ??= _keys.LoadOrCreate();

    private async Task ConfigureAsync(UapiClient client, CancellationToken cancellationToken)
    {
        if (_desired is { } desired)
        {
            _lastChange = await new DeviceReconciler(client).ApplyAsync(desired, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The planner already leaves out unusable and duplicated keys; this is the backend's own guard, because a key
    /// listed twice would make wireguard-go's configuration (and so every later pass) fail for all peers.
    /// </summary>
    private DesiredDevice Desired(TunnelPlan plan, List<SkippedTunnelPeer> skipped)
    {
        var peers = new List<DesiredPeer>();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var nodes = new Dictionary<string, string>(StringComparer.Ordinal);
        var own = PublicKey();
        foreach (var peer in plan.Peers)
        {
            var text = peer.Config[WireGuardProfile.PublicKeyConfigKey];
            if (text is null || !WireGuardKey.TryParseBase64(text, out var key))
            {
                skipped.Add(new(peer.GatewayName, "no valid WireGuard public key"));
                continue;
            }

            if (text == own)
            {
                skipped.Add(new(peer.GatewayName, "publishes this node's own WireGuard public key (a copied state directory?)"));
                continue;
            }

            if (!owners.TryAdd(text, peer.GatewayName))
            {
                skipped.Add(new(peer.GatewayName, $"publishes the WireGuard public key of gateway {owners[text]}"));
                continue;
            }

            nodes[text] = peer.NodeName;
            peers.Add(ToDesired(peer, key) with { PresharedKey = _options.PresharedKey });
        }

        _gatewayByKey = owners;
        _nodeByKey = nodes;
        return new DesiredDevice { PrivateKey = PrivateKey(), ListenPort = plan.ListenPort, Peers = peers };
    }

    private static DesiredPeer ToDesired(TunnelPeer peer, WireGuardKey key) => new()
    {
        PublicKey = key,
        Endpoint = peer.Endpoint is { } e ? new IPEndPoint(e.Address, e.Port) : null,
        PersistentKeepalive = TimeSpan.FromSeconds(peer.KeepaliveSeconds ?? 0),
        // A standby pair keeps its handshake alive and routes nothing (a standby endpoint: only its probes); taking
        // over moves AllowedIPs in one UAPI set.
        AllowedIPs = (peer.Routed ?? (peer.Standby ? ValueList<Cidr>.Empty : peer.RemoteCidrs)).Select(c => new IPNetwork(c.Network, c.PrefixLength)).ToList(),
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
