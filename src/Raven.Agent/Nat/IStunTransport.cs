using System.Net;

namespace Raven.Agent.Nat;

/// <summary>A datagram that reached the local endpoint, and where it came from.</summary>
public readonly record struct StunDatagram(ReadOnlyMemory<byte> Payload, IPEndPoint Source);

/// <summary>How the client's requests leave and its answers come back: a plain UDP socket, or a raw socket on a port a tunnel daemon owns.</summary>
public interface IStunTransport : IAsyncDisposable
{
    /// <summary>The address and port requests leave from, before any NAT: what "no translation" is compared with.</summary>
    IPEndPoint LocalEndpoint { get; }

    StunTransportMode Mode { get; }

    ValueTask SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken);

    /// <summary>The next datagram for the local endpoint (the payload stays valid until the next call).</summary>
    ValueTask<StunDatagram> ReceiveAsync(CancellationToken cancellationToken);
}

public enum StunTransportMode
{
    /// <summary>A plain UDP socket bound to the port: for ports nobody else holds.</summary>
    Plain,

    /// <summary>A raw socket that sends from and listens on a port another process (wireguard-go, charon) holds.</summary>
    Raw,
}
