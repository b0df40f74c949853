using Raven.Agent.Nat;
using Raven.Agent.Planning;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Planning;

/// <summary>
/// Every pairing of what two edge endpoints can publish — open internet, full cone, restricted cone, port-restricted
/// cone, symmetric, unknown — on both sides, and what the pair gets: dialled, punched, or relayed.
/// </summary>
public sealed class NatPairingTests
{
    private const string Open = "open";
    private const string Full = "full";
    private const string Restricted = "restricted";
    private const string PortRestricted = "port-restricted";
    private const string Symmetric = "symmetric";
    private const string Unknown = "unknown";

    /// <summary>Rows and columns in the order above; D dialled, P punched, R relayed. Must be symmetric.</summary>
    private static readonly string[] Table =
    [
        //        open full rc  prc sym unknown
        /* open */ "D D D D D D",
        /* full */ "D D D D D D",
        /* rc   */ "D D P P P R",
        /* prc  */ "D D P P R R",
        /* sym  */ "D D P R R R",
        /* unk  */ "D D R R R R",
    ];

    private static readonly string[] Kinds = [Open, Full, Restricted, PortRestricted, Symmetric, Unknown];

    public static TheoryData<string, string, PairReach> Pairings()
    {
        var data = new TheoryData<string, string, PairReach>();
        for (var i = 0; i < Kinds.Length; i++)
        {
            var cells = Table[i].Split(' ');
            for (var j = 0; j < Kinds.Length; j++)
            {
                data.Add(Kinds[i], Kinds[j], cells[j] switch { "D" => PairReach.Dial, "P" => PairReach.Punch, _ => PairReach.Relay });
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pairings))]
    public void Each_pairing_of_published_nat_types_is_dialled_punched_or_relayed(string a, string b, PairReach expected)
    {
        NatPairing.Reach(Endpoint("a", a), Endpoint("b", b)).Should().Be(expected);
        NatPairing.Reach(Endpoint("b", b), Endpoint("a", a)).Should().Be(expected, "the rule is symmetric");
    }

    [Fact]
    public void The_table_is_symmetric()
    {
        for (var i = 0; i < Kinds.Length; i++)
        {
            for (var j = 0; j < Kinds.Length; j++)
            {
                Table[i].Split(' ')[j].Should().Be(Table[j].Split(' ')[i], $"{Kinds[i]} with {Kinds[j]}");
            }
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData(UpstreamNatType.Undefined)]
    [InlineData("Something else")]
    public void An_unknown_nat_type_is_never_punched(string? natType)
    {
        var cone = Endpoint("a", PortRestricted);
        var other = View("b", TunnelEndpoint("b-gw", "198.51.100.30", underNat: true, publicPort: 0), natType);
        NatPairing.Reach(cone, other).Should().Be(PairReach.Relay);
    }

    [Fact]
    public void A_cone_without_its_public_port_is_unknown()
    {
        var portless = View("b", TunnelEndpoint("b-gw", "198.51.100.30", underNat: true), UpstreamNatType.PortRestrictedCone);
        NatPairing.Side(portless).Should().Be(PunchSide.Unknown);
        NatPairing.Reach(Endpoint("a", PortRestricted), portless).Should().Be(PairReach.Relay);
    }

    [Fact]
    public void Without_a_public_address_nothing_is_punched()
    {
        var noAddress = View("b", TunnelEndpoint("b-gw", null, underNat: true, publicPort: 4500), UpstreamNatType.PortRestrictedCone);
        NatPairing.Reach(Endpoint("a", PortRestricted), noAddress).Should().Be(PairReach.Relay);
    }

    /// <summary>What an endpoint of the given kind publishes after NAT discovery.</summary>
    private static TunnelEndpointView Endpoint(string name, string kind) => kind switch
    {
        Open => View(name, TunnelEndpoint($"{name}-gw", "192.0.2.10"), null),
        Full => View(name, TunnelEndpoint($"{name}-gw", "198.51.100.10", underNat: true, publicPort: 4500), UpstreamNatType.FullCone),
        Restricted => View(name, TunnelEndpoint($"{name}-gw", "198.51.100.20", underNat: true, publicPort: 4500), UpstreamNatType.RestrictedCone),
        PortRestricted => View(name, TunnelEndpoint($"{name}-gw", "198.51.100.30", underNat: true, publicPort: 4500), UpstreamNatType.PortRestrictedCone),
        Symmetric => View(name, TunnelEndpoint($"{name}-gw", "198.51.100.40", underNat: true), UpstreamNatType.Symmetric),
        _ => View(name, TunnelEndpoint($"{name}-gw", "198.51.100.50", underNat: true), null),
    };

    private static TunnelEndpointView View(string name, Raven.Api.V1Beta1.Endpoint endpoint, string? natType) =>
        new(endpoint.NodeName, endpoint.PublicIP is null ? null : Ip(endpoint.PublicIP), endpoint.Port, endpoint.UnderNAT, endpoint.PublicPort, natType,
            KeyConfig(endpoint.NodeName));
}
