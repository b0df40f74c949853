using System.Net;
using System.Net.Sockets;
using Raven.Agent.Proxy.Tunnel;

namespace Raven.Agent.Proxy.FrontEnd;

/// <summary>Opens the byte stream to a route's target: a socket in our own domain, or a tunnel stream through one
/// of the domain's proxy clients.</summary>
/// <param name="dialObserved">Told of every dial and its duration (metrics); null when nobody listens.</param>
public sealed class ProxyDialer(TunnelServer? tunnel, TimeSpan connectTimeout, TimeProvider? clock = null, Action<ProxyDialTiming>? dialObserved = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<(Stream? Stream, ProxyFailure? Failure)> DialAsync(ProxyRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        var started = _clock.GetTimestamp();
        var result = route.Direct
            ? await DialDirectAsync(route.Target, cancellationToken).ConfigureAwait(false)
            : await DialTunnelAsync(route, cancellationToken).ConfigureAwait(false);
        dialObserved?.Invoke(new ProxyDialTiming(route.Direct, result.Item1 is not null, _clock.GetElapsedTime(started)));
        return result;
    }

    private async Task<(Stream?, ProxyFailure?)> DialDirectAsync(IPEndPoint target, CancellationToken cancellationToken)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(connectTimeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await socket.ConnectAsync(target, linked.Token).ConfigureAwait(false);
            return (new NetworkStream(socket, ownsSocket: true), null);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            var reason = ex is OperationCanceledException ? "timed out" : ex.Message;
            return (null, new ProxyFailure(502, $"cannot connect to {target}: {reason}"));
        }
    }

    private async Task<(Stream?, ProxyFailure?)> DialTunnelAsync(ProxyRoute route, CancellationToken cancellationToken)
    {
        if (tunnel is null)
        {
            return (null, new ProxyFailure(503, $"node \"{route.NodeName}\" is reachable only through a tunnel, and this server runs none"));
        }

        var target = new DnsEndPoint(route.Target.Address.ToString(), route.Target.Port);
        // Spread load over the domain's proxy gateways, as upstream's random pick does; the tunnel server moves on
        // to the next one when a client is gone or silent.
        var clients = route.ProxyClients.OrderBy(_ => Random.Shared.Next()).ToList();
        var result = await tunnel.DialAsync(clients, target, cancellationToken).ConfigureAwait(false);
        var domain = route.GatewayName is null ? $"node \"{route.NodeName}\"" : $"gateway \"{route.GatewayName}\"";
        return result.Status switch
        {
            TunnelDialStatus.Connected => (result.Stream, null),
            TunnelDialStatus.DialFailed => (null, new ProxyFailure(502, result.Error ?? "dial failed")),
            TunnelDialStatus.TimedOut => (null, new ProxyFailure(504, result.Error ?? "dial timed out")),
            TunnelDialStatus.NoTunnel => (null, new ProxyFailure(503,
                $"no proxy client of {domain} is connected to this server (proxy gateways: {string.Join(", ", clients)})")),
            _ => (null, new ProxyFailure(503, result.Error ?? "dial canceled")),
        };
    }
}
