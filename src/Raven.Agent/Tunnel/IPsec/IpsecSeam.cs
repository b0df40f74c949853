using System.Net;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>Pure: what <see cref="IpsecBackend"/> derives from the seam's inputs and reports back to it.</summary>
public static class IpsecSeam
{
    /// <summary>charon's files go into this sub-directory of the agent's state directory.</summary>
    public const string StateSubdirectory = "ipsec";

    /// <summary>charon for this agent: its own state directory, the tunnel port for IKE and ESP in UDP, DPD timing.</summary>
    public static CharonOptions CharonOptionsFor(TunnelBackendContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new CharonOptions
        {
            StateDirectory = Path.Combine(context.StateDirectory, StateSubdirectory),
            NetworkNamespace = context.NetworkNamespace,
            Port = context.ListenPort,
            DeadPeerTimeout = context.KeepAliveTimeout,
        };
    }

    /// <summary>The seam's view of one charon connection: up once a CHILD SA is installed; the last key exchange is the IKE SA's start.</summary>
    public static TunnelConnection ToConnection(IpsecConnectionStatus status, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        var state = status.State switch
        {
            IpsecConnectionState.Up => TunnelConnectionState.Up,
            IpsecConnectionState.Down when status.Reconnects > 0 => TunnelConnectionState.Down,
            _ => TunnelConnectionState.Connecting,
        };
        return new TunnelConnection(GatewayOf(status.Name), status.Name, state, now - status.Age, status.BytesIn, status.BytesOut)
        {
            Node = status.RemoteNode,
            Endpoint = status.RemoteEndpoint,
            RxPackets = status.PacketsIn,
            TxPackets = status.PacketsOut,
            Reconnects = status.Reconnects,
        };
    }

    /// <summary>For each remote subnet: the first host address inside its connection's local subnets (see <see cref="IpsecRoutes.SourceFor"/>).</summary>
    public static IReadOnlyList<(IPNetwork Remote, IPAddress? Source)> Sources(IReadOnlyList<IpsecConnectionSpec> specs, IReadOnlyCollection<IPAddress> hostAddresses)
    {
        ArgumentNullException.ThrowIfNull(specs);
        return specs.SelectMany(spec =>
        {
            var source = IpsecRoutes.SourceFor(spec.LocalSubnets, hostAddresses);
            return spec.RemoteSubnets.Select(remote => (remote, source));
        }).ToList();
    }

    /// <summary>The gateway a connection is for (its name without <see cref="IpsecPlanMapper.ConnectionPrefix"/>).</summary>
    public static string GatewayOf(string connection) =>
        connection.StartsWith(IpsecPlanMapper.ConnectionPrefix, StringComparison.Ordinal) ? connection[IpsecPlanMapper.ConnectionPrefix.Length..] : connection;
}
