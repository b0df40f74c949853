using System.Net;
using System.Threading.Channels;
using Raven.Agent.Nat;

namespace Raven.Agent.Tests.Nat;

public enum SimMapping
{
    None,
    EndpointIndependent,
    AddressDependent,
    AddressAndPortDependent,
}

public enum SimFiltering
{
    Open,
    AddressDependent,
    AddressAndPortDependent,
}

/// <summary>
/// An edge behind a modelled NAT, talking to responders through <see cref="StunRequestHandler"/> in memory: the
/// client side is an <see cref="IStunTransport"/>. Mapping and filtering state persist across runs, as a NAT's
/// would within its timeouts.
/// </summary>
internal sealed class SimulatedNat(SimMapping mapping, SimFiltering filtering, params StunResponderLayout[] responders) : IStunTransport
{
    private static readonly IPAddress PublicAddress = IPAddress.Parse("198.51.100.2");
    private readonly Channel<StunDatagram> inbound = Channel.CreateUnbounded<StunDatagram>();
    private readonly Dictionary<string, int> mappings = [];
    private readonly HashSet<IPEndPoint> sentTo = [];
    private int nextPort = 40000;

    public IPEndPoint LocalEndpoint { get; } = IPEndPoint.Parse("172.16.1.10:4500");

    public StunTransportMode Mode => StunTransportMode.Plain;

    /// <summary>Requests to drop before the first one goes through (loss on the way out).</summary>
    public int DropFirst { get; set; }

    public int Sent { get; private set; }

    public ValueTask SendAsync(ReadOnlyMemory<byte> payload, IPEndPoint destination, CancellationToken cancellationToken)
    {
        Sent++;
        if (DropFirst > 0)
        {
            DropFirst--;
            return ValueTask.CompletedTask;
        }

        var publicSource = Map(destination);
        sentTo.Add(destination);
        foreach (var layout in responders)
        {
            foreach (var socket in layout.Sockets())
            {
                if (!layout.EndpointOf(socket).Equals(destination))
                {
                    continue;
                }

                var reply = StunRequestHandler.Handle(payload.ToArray(), publicSource, socket, layout);
                if (reply is not null)
                {
                    var from = layout.EndpointOf(reply.From);
                    if (Passes(from))
                    {
                        inbound.Writer.TryWrite(new StunDatagram(reply.Datagram, from));
                    }
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<StunDatagram> ReceiveAsync(CancellationToken cancellationToken) =>
        await inbound.Reader.ReadAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private IPEndPoint Map(IPEndPoint destination)
    {
        if (mapping == SimMapping.None)
        {
            return LocalEndpoint;
        }

        string key = mapping switch
        {
            SimMapping.EndpointIndependent => "any",
            SimMapping.AddressDependent => destination.Address.ToString(),
            _ => destination.ToString(),
        };
        if (!mappings.TryGetValue(key, out int port))
        {
            port = mappings.Count == 0 ? 4500 : nextPort++;
            mappings[key] = port;
        }

        return new IPEndPoint(PublicAddress, port);
    }

    private bool Passes(IPEndPoint from) => filtering switch
    {
        SimFiltering.Open => true,
        SimFiltering.AddressDependent => sentTo.Any(s => s.Address.Equals(from.Address)),
        _ => sentTo.Contains(from),
    };
}
