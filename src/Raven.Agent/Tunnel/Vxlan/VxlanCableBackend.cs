using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Linux;
using Raven.Agent.Planning;

namespace Raven.Agent.Tunnel.Vxlan;

/// <summary>
/// <see cref="TunnelPlan"/> → an unencrypted kernel VXLAN device between gateways (raven-cable0, VNI 201, UDP 4474),
/// over rtnetlink only: per remote gateway a permanent neighbour (its underlay address, the next hop of its
/// table-9028 routes → its cable MAC) and a static FDB entry (that MAC → its underlay address), learning off. Each
/// pass diffs against the kernel and sends only the difference. There is no daemon: detaching leaves the device as
/// it is, cleanup deletes it. Peers under NAT or across public addresses are refused (see <see cref="UnderlayTrust"/>).
/// </summary>
public sealed class VxlanCableBackend : ITunnelBackend
{
    private readonly NetlinkReconciler _reconciler;
    private readonly string? _nodeName;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile IReadOnlyDictionary<MacAddress, CablePeer> _peerByMac = new Dictionary<MacAddress, CablePeer>();

    /// <summary>From the registry: the context's node name, netlink and loggers (the WireGuard interface flag is not used).</summary>
    public VxlanCableBackend(TunnelBackendContext context)
        : this((context ?? throw new ArgumentNullException(nameof(context))).Reconciler, context.NodeName,
            context.Loggers?.CreateLogger("raven.agent.vxlan-cable"))
    {
    }

    /// <param name="nodeName">This node's name; its cable MAC is derived from it. Only cleanup works without one.</param>
    public VxlanCableBackend(NetlinkReconciler reconciler, string? nodeName, ILogger? logger = null, string interfaceName = VxlanCableProfile.DeviceName)
    {
        _reconciler = reconciler ?? throw new ArgumentNullException(nameof(reconciler));
        RtNetlink.ValidateName(interfaceName);
        _nodeName = nodeName;
        _logger = logger ?? NullLogger.Instance;
        InterfaceName = interfaceName;
    }

    public ITunnelProfile Profile => VxlanCableProfile.Instance;

    public string InterfaceName { get; }

    /// <summary>Nothing: peers derive this node's cable MAC from its node name, and there is no key.</summary>
    public IReadOnlyDictionary<string, string> PublishedConfig() => new Dictionary<string, string>(StringComparer.Ordinal);

    public async Task<TunnelApplyOutcome> ApplyAsync(TunnelPlan? plan, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (plan is null)
            {
                _peerByMac = new Dictionary<MacAddress, CablePeer>();
                return Remove() ? new TunnelApplyOutcome(true, $"{InterfaceName} removed", []) : TunnelApplyOutcome.Unchanged;
            }

            var nodeName = _nodeName ?? throw new InvalidOperationException("the VXLAN cable needs this node's name to derive its MAC");
            var design = CableDesign.From(plan, nodeName);
            var before = _reconciler.Netlink.ChangeRequests;
            var link = _reconciler.EnsureVxlan(new VxlanLinkSpec(InterfaceName, VxlanCableProfile.Vni, null, VxlanCableProfile.Port)
            {
                Mtu = plan.Mtu,
                Mac = design.LocalMac,
                Learning = false,
                UdpChecksum = VxlanCableProfile.OuterUdpChecksum,
            });
            _reconciler.SyncArp(link.Index, design.Neighbors(link.Index));
            _reconciler.SyncFdb(link.Index, design.Fdb(link.Index));
            _peerByMac = design.Peers.ToDictionary(p => p.Mac);
            if (design.Peers.Count > 0)
            {
                // On every pass that uses the cable, not only once: the operator must not miss it.
                _logger.LogWarning("{Interface}: traffic between gateways is NOT encrypted (VXLAN cable to {Peers})",
                    InterfaceName, string.Join(", ", design.Peers.Select(p => $"{p.Gateway} at {p.Underlay}")));
            }

            var changed = _reconciler.Netlink.ChangeRequests != before;
            var summary = changed
                ? string.Create(CultureInfo.InvariantCulture, $"{InterfaceName}: {design.Peers.Count} peer(s), {design.Skipped.Count} refused")
                : "";
            return new TunnelApplyOutcome(changed, summary, design.Skipped);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// One connection per FDB entry in the kernel: up while the device is up and the peer has both its FDB entry and
    /// a neighbour naming its MAC (a hot standby's is its node address; the serving endpoint's, the underlay address).
    /// VXLAN keeps no per-remote counters, so the device's counters are reported when it has one peer and zero otherwise.
    /// </summary>
    public Task<IReadOnlyList<TunnelConnection>> ConnectionsAsync(CancellationToken cancellationToken)
    {
        if (_reconciler.Netlink.FindLink(InterfaceName) is not { } link)
        {
            return Task.FromResult<IReadOnlyList<TunnelConnection>>([]);
        }

        var fdb = _reconciler.Netlink.ListNeighbors(NeighborFamily.Bridge, link.Index)
            .Where(n => n.Flags.HasFlag(NeighborFlags.Self) && n.State.HasFlag(NeighborState.Permanent) && n.Destination is not null && n.Mac is { Value: not 0 })
            .ToList();
        var neighbourMacs = _reconciler.Netlink.ListNeighbors(NeighborFamily.Inet, link.Index)
            .Where(n => n.State.HasFlag(NeighborState.Permanent) && n.Destination is not null)
            .Select(n => n.Mac)
            .ToHashSet();
        var peers = _peerByMac;
        var single = fdb.Count == 1 ? link.Stats : null;
        IReadOnlyList<TunnelConnection> connections = fdb.Select(entry =>
        {
            var address = entry.Destination!;
            var up = link.AdminUp && neighbourMacs.Contains(entry.Mac);
            var peer = entry.Mac is { } mac ? peers.GetValueOrDefault(mac) : null;
            return new TunnelConnection(peer?.Gateway ?? address.ToString(), entry.Port is { } port ? $"{address}:{port}" : address.ToString(),
                up ? TunnelConnectionState.Up : TunnelConnectionState.Down, null, single?.RxBytes ?? 0, single?.TxBytes ?? 0)
            {
                Node = peer?.NodeName,
            };
        }).ToList();
        return Task.FromResult(connections);
    }

    /// <summary>Nothing to stop: the kernel keeps the device, and the next agent diffs against it.</summary>
    public Task DetachAsync() => Task.CompletedTask;

    public async Task CleanupAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Remove();
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    private bool Remove()
    {
        if (_reconciler.Netlink.FindLink(InterfaceName) is null)
        {
            return false;
        }

        _reconciler.EnsureLinkAbsent(InterfaceName);
        return true;
    }
}
