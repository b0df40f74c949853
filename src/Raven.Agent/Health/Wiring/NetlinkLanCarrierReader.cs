using System.Net;
using System.Net.Sockets;
using Raven.Agent.Health.Failover;
using Raven.Agent.Linux;

namespace Raven.Agent.Health.Wiring;

/// <summary>
/// <see cref="ILanCarrierReader"/> over rtnetlink: the device is the one that holds the node IP (the address the VXLAN
/// device sends from, so the one its outer packets leave by in the usual layout), its carrier is
/// <see cref="NetLink.HasCarrier"/> (admin up, IFLA_CARRIER / IFF_LOWER_UP, operstate). Each read is one RTM_GETLINK
/// by index; which device holds the address is looked up again at most once per <see cref="ResolveEvery"/> (an address
/// dump), or at once when the node IP changes or the device is gone. Anything that cannot be read is Unknown.
/// </summary>
public sealed class NetlinkLanCarrierReader : ILanCarrierReader, IDisposable
{
    /// <summary>How long a device found for the node IP is trusted before the addresses are dumped again (the address may move).</summary>
    public static readonly TimeSpan ResolveEvery = TimeSpan.FromSeconds(1);

    private readonly string? _namespace;
    private readonly TimeProvider _time;
    private RtNetlink? _netlink;
    private IPAddress? _resolvedFor;
    private int? _index;
    private long? _resolvedAt;
    private long? _openFailedAt;
    private string _openFailure = "";

    /// <param name="networkNamespace">Where the node's devices are; null: the agent's own namespace.</param>
    public NetlinkLanCarrierReader(string? networkNamespace = null, TimeProvider? time = null)
    {
        _namespace = networkNamespace;
        _time = time ?? TimeProvider.System;
    }

    public LanCarrierReading Read(IPAddress nodeIp)
    {
        ArgumentNullException.ThrowIfNull(nodeIp);
        if (Socket() is not { } netlink)
        {
            return new(LinkCarrier.Unknown, null, $"rtnetlink could not be opened: {_openFailure}");
        }

        try
        {
            if (!nodeIp.Equals(_resolvedFor) || _index is null || Since(_resolvedAt) >= ResolveEvery)
            {
                _resolvedFor = nodeIp;
                _resolvedAt = _time.GetTimestamp();
                _index = netlink.ListAddresses(nodeIp.AddressFamily).FirstOrDefault(a => a.Address.Equals(nodeIp))?.InterfaceIndex;
            }

            if (_index is not { } index)
            {
                return new(LinkCarrier.Unknown, null, $"no device holds the node IP {nodeIp}");
            }

            if (netlink.FindLink(index) is not { } link)
            {
                _index = null;
                return new(LinkCarrier.Unknown, null, $"device #{index}, which held the node IP {nodeIp}, is gone");
            }

            return new(link.HasCarrier ? LinkCarrier.Up : LinkCarrier.Down, link.Name, Describe(link));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
        {
            // A broken socket is opened afresh on the next read; the message names the request that failed.
            _netlink?.Dispose();
            _netlink = null;
            _index = null;
            return new(LinkCarrier.Unknown, null, $"reading the device failed: {e.Message}");
        }
    }

    public void Dispose()
    {
        _netlink?.Dispose();
        _netlink = null;
    }

    private RtNetlink? Socket()
    {
        if (_netlink is not null || (_openFailedAt is not null && Since(_openFailedAt) < ResolveEvery))
        {
            return _netlink;
        }

        try
        {
            _netlink = _namespace is null ? RtNetlink.Open() : RtNetlink.OpenInNamespace(_namespace);
            _openFailedAt = null;
        }
        catch (Exception e) when (e is IOException or SocketException or UnauthorizedAccessException)
        {
            _openFailedAt = _time.GetTimestamp();
            _openFailure = e.Message;
        }

        return _netlink;
    }

    private TimeSpan Since(long? timestamp) => timestamp is { } at ? _time.GetElapsedTime(at) : TimeSpan.MaxValue;

    private static string Describe(NetLink link) =>
        $"{(link.AdminUp ? "admin up" : "admin down")}, carrier {((link.Carrier ?? link.LowerUp) ? "on" : "off")}, " +
        $"operstate {link.OperState?.ToString().ToLowerInvariant() ?? "not reported"}";
}
