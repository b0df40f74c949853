using System.Net;

namespace Raven.Agent.Nat;

/// <summary>Which of the responder's sockets: the address (primary or secondary) and the port role.</summary>
public readonly record struct ResponderSocket(bool Secondary, ResponderPortRole Role)
{
    public override string ToString() => $"{(Secondary ? "secondary" : "primary")}/{Role}";
}

public enum ResponderPortRole
{
    /// <summary>Serves binding requests; what edges are configured with (default 3478).</summary>
    Primary,

    /// <summary>Serves binding requests; advertised in OTHER-ADDRESS for the mapping test (default 3479).</summary>
    Alternate,

    /// <summary>
    /// Only sends: answers to CHANGE-REQUEST leave from here (default 3480). No client ever sends to it, so no earlier
    /// exchange can have opened a NAT filter for it and the filtering test stays meaningful when repeated.
    /// </summary>
    ChangeSource,
}

/// <summary>
/// The addresses and ports the responder answers from, as clients see them. <see cref="PrimaryAddress"/> is the
/// address edges send to (a cloud node behind 1:1 NAT advertises its public address, not the local one). A
/// <see cref="SecondaryAddress"/> is optional: most gateways have one public address.
/// </summary>
public sealed record StunResponderLayout(IPAddress PrimaryAddress, IPAddress? SecondaryAddress, int PrimaryPort, int AlternatePort, int ChangeSourcePort)
{
    public const int DefaultPrimaryPort = Raven.Api.WellKnown.StunPrimaryPort;
    public const int DefaultAlternatePort = Raven.Api.WellKnown.StunAlternatePort;
    public const int DefaultChangeSourcePort = 3480;

    public IPEndPoint EndpointOf(ResponderSocket socket)
    {
        var address = socket.Secondary ? SecondaryAddress ?? throw new InvalidOperationException("no secondary address") : PrimaryAddress;
        return new IPEndPoint(address, PortOf(socket.Role));
    }

    public int PortOf(ResponderPortRole role) => role switch
    {
        ResponderPortRole.Primary => PrimaryPort,
        ResponderPortRole.Alternate => AlternatePort,
        _ => ChangeSourcePort,
    };

    /// <summary>
    /// OTHER-ADDRESS: the other address with the alternate port, or, with one address, the primary address with the
    /// alternate port. A client that sees its responder's own address there knows only the port can change.
    /// </summary>
    public IPEndPoint OtherAddress(bool arrivedOnSecondary)
    {
        var other = arrivedOnSecondary ? PrimaryAddress : SecondaryAddress ?? PrimaryAddress;
        return new IPEndPoint(other, AlternatePort);
    }

    /// <summary>Every socket to open: three per address.</summary>
    public IEnumerable<ResponderSocket> Sockets()
    {
        foreach (var secondary in SecondaryAddress is null ? new[] { false } : [false, true])
        {
            foreach (var role in Enum.GetValues<ResponderPortRole>())
            {
                yield return new ResponderSocket(secondary, role);
            }
        }
    }

    /// <summary>Validation with the field named; null when fine.</summary>
    public string? Problem()
    {
        int[] ports = [PrimaryPort, AlternatePort, ChangeSourcePort];
        if (ports.Any(p => p is < 1 or > 65535))
        {
            return "stun ports must be 1..65535";
        }

        if (ports.Distinct().Count() != 3)
        {
            return $"stun primary ({PrimaryPort}), alternate ({AlternatePort}) and change-source ({ChangeSourcePort}) ports must differ";
        }

        if (SecondaryAddress is not null && (SecondaryAddress.Equals(PrimaryAddress) || SecondaryAddress.AddressFamily != PrimaryAddress.AddressFamily))
        {
            return "stun secondary address must differ from the primary and be of the same family";
        }

        return null;
    }
}
