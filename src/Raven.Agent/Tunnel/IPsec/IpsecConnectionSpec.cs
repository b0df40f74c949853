using System.Net;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>Who starts the IKE exchange of a connection.</summary>
public enum IpsecRole
{
    /// <summary>Initiates at once and again whenever the SA goes away (NATed edges, or the chosen side of two public gateways).</summary>
    Initiator,

    /// <summary>Waits for the peer (a public gateway answering NATed edges that may appear from any address).</summary>
    Responder,
}

/// <summary>
/// One wanted IPsec connection to one remote gateway, backend-neutral enough for the tunnel seam to fill from its
/// per-peer plan: one IKE SA with one CHILD SA carrying every local × remote subnet.
/// </summary>
public sealed record IpsecConnectionSpec
{
    /// <summary>charon's connection name, unique per agent: letters, digits, '.', '_' and '-', at most 64.</summary>
    public required string Name { get; init; }

    /// <summary>The local IKE address; null lets charon pick (<c>%any</c>).</summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>The peer's IKE address; null (<c>%any</c>) accepts a NATed initiator from wherever it appears.</summary>
    public IPAddress? RemoteAddress { get; init; }

    /// <summary>The peer's IKE port: 4500 (Raven's tunnel port), or the public port a NAT mapped it to.</summary>
    public int RemotePort { get; init; } = 4500;

    /// <summary>This gateway's IKE identity (strongSwan syntax, e.g. <c>@10.0.0.1-10.244.1.0/24</c>).</summary>
    public required string LocalId { get; init; }

    public required string RemoteId { get; init; }

    public required IReadOnlyList<IPNetwork> LocalSubnets { get; init; }

    public required IReadOnlyList<IPNetwork> RemoteSubnets { get; init; }

    public IpsecRole Role { get; init; } = IpsecRole.Initiator;

    /// <summary>Dead-peer detection interval (<c>--keep-alive-interval</c>); zero disables it.</summary>
    public TimeSpan DpdDelay { get; init; }

    /// <summary>ESP in UDP even without a NAT (Raven's default; kernel-libipsec forces it anyway).</summary>
    public bool ForceEncapsulation { get; init; } = true;

    private const int MaxNameLength = 64;
    private const int MaxIdLength = 255;

    /// <summary>Every problem with this spec, each naming its field; empty when it is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(Name) || Name.Length > MaxNameLength || !Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            problems.Add($"name \"{Name}\": 1-{MaxNameLength} letters, digits, '.', '_' or '-'");
        }

        ValidateId(problems, "localId", LocalId);
        ValidateId(problems, "remoteId", RemoteId);
        if (RemotePort is < 1 or > 65535)
        {
            problems.Add($"remotePort {RemotePort}: not a UDP port");
        }

        if (Role == IpsecRole.Initiator && RemoteAddress is null)
        {
            problems.Add("remoteAddress: an initiator needs the peer's address (only a responder accepts %any)");
        }

        if (LocalSubnets is not { Count: > 0 })
        {
            problems.Add("localSubnets: empty");
        }

        if (RemoteSubnets is not { Count: > 0 })
        {
            problems.Add("remoteSubnets: empty");
        }

        if (DpdDelay < TimeSpan.Zero)
        {
            problems.Add($"dpdDelay {DpdDelay}: negative");
        }

        return problems;
    }

    private static void ValidateId(List<string> problems, string field, string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength || id.Any(c => c <= ' ' || c > '~'))
        {
            problems.Add($"{field} \"{id}\": 1-{MaxIdLength} printable ASCII characters without spaces");
        }
    }
}
