using System.Net;
using Raven.Agent.Nat;

namespace Raven.Agent.Tests.Nat;

public sealed class NatClassifierTests
{
    private static readonly IPEndPoint Local = IPEndPoint.Parse("172.16.1.10:4500");
    private static readonly IPEndPoint Responder = IPEndPoint.Parse("203.0.113.10:3478");
    private static readonly IPEndPoint OneAddressOther = IPEndPoint.Parse("203.0.113.10:3479");
    private static readonly IPEndPoint TwoAddressOther = IPEndPoint.Parse("203.0.113.11:3479");
    private static readonly IPEndPoint P1 = IPEndPoint.Parse("198.51.100.2:4500");
    private static readonly IPEndPoint P2 = IPEndPoint.Parse("198.51.100.2:40001");
    private static readonly IPEndPoint P3 = IPEndPoint.Parse("198.51.100.2:40002");

    public static TheoryData<string, NatObservations, MappingBehavior, FilteringBehavior, ResponderCoverage, string> Table => new()
    {
        // One responder address (the usual gateway).
        { "port-restricted cone", One(P1, P1, portAnswered: false), MappingBehavior.EndpointIndependentOrAddressDependent, FilteringBehavior.AddressAndPortDependent, ResponderCoverage.OneAddress, UpstreamNatType.PortRestrictedCone },
        { "cone, filter open to other ports", One(P1, P1, portAnswered: true), MappingBehavior.EndpointIndependentOrAddressDependent, FilteringBehavior.AddressDependentOrOpen, ResponderCoverage.OneAddress, UpstreamNatType.RestrictedCone },
        { "symmetric", One(P1, P2, portAnswered: false), MappingBehavior.AddressAndPortDependent, FilteringBehavior.AddressAndPortDependent, ResponderCoverage.OneAddress, UpstreamNatType.Symmetric },
        { "symmetric mapping, open filter", One(P1, P2, portAnswered: true), MappingBehavior.AddressAndPortDependent, FilteringBehavior.AddressDependentOrOpen, ResponderCoverage.OneAddress, UpstreamNatType.Symmetric },
        { "alternate port silent", One(P1, null, portAnswered: false), MappingBehavior.Unknown, FilteringBehavior.AddressAndPortDependent, ResponderCoverage.OneAddress, UpstreamNatType.Undefined },
        { "no NAT", One(Local, Local, portAnswered: true), MappingBehavior.EndpointIndependent, FilteringBehavior.AddressDependentOrOpen, ResponderCoverage.OneAddress, UpstreamNatType.OpenInternet },
        { "no NAT, stateful firewall", One(Local, Local, portAnswered: false), MappingBehavior.EndpointIndependent, FilteringBehavior.AddressAndPortDependent, ResponderCoverage.OneAddress, UpstreamNatType.PortRestrictedCone },
        { "not an RFC 5780 responder", new() { Local = Local, Responder = Responder, MappedPrimary = P1 }, MappingBehavior.Unknown, FilteringBehavior.Unknown, ResponderCoverage.SinglePort, UpstreamNatType.Undefined },
        { "CHANGE-REQUEST refused", One(P1, P1, portAnswered: false) with { ChangeRequestRefused = true }, MappingBehavior.EndpointIndependentOrAddressDependent, FilteringBehavior.Unknown, ResponderCoverage.OneAddress, UpstreamNatType.Undefined },

        // A second responder address: full RFC 5780.
        { "full cone", Two(P1, P1, P1, null, both: true, port: true), MappingBehavior.EndpointIndependent, FilteringBehavior.EndpointIndependent, ResponderCoverage.TwoAddresses, UpstreamNatType.FullCone },
        { "restricted cone", Two(P1, P1, P1, null, both: false, port: true), MappingBehavior.EndpointIndependent, FilteringBehavior.AddressDependent, ResponderCoverage.TwoAddresses, UpstreamNatType.RestrictedCone },
        { "port-restricted cone, proven", Two(P1, P1, P1, null, both: false, port: false), MappingBehavior.EndpointIndependent, FilteringBehavior.AddressAndPortDependent, ResponderCoverage.TwoAddresses, UpstreamNatType.PortRestrictedCone },
        { "address-dependent mapping", Two(P1, P1, P2, P2, both: false, port: false), MappingBehavior.AddressDependent, FilteringBehavior.AddressAndPortDependent, ResponderCoverage.TwoAddresses, UpstreamNatType.Symmetric },
        { "address-and-port-dependent via test III", Two(P1, P1, P2, P3, both: false, port: false), MappingBehavior.AddressAndPortDependent, FilteringBehavior.AddressAndPortDependent, ResponderCoverage.TwoAddresses, UpstreamNatType.Symmetric },
        { "open internet, proven", Two(Local, Local, Local, null, both: true, port: true), MappingBehavior.EndpointIndependent, FilteringBehavior.EndpointIndependent, ResponderCoverage.TwoAddresses, UpstreamNatType.OpenInternet },

        // One address plus another responder node.
        { "alternate responder agrees", One(P1, P1, portAnswered: false) with { MappedAlternateResponder = P1 }, MappingBehavior.EndpointIndependent, FilteringBehavior.AddressAndPortDependent, ResponderCoverage.OneAddressWithAlternateResponder, UpstreamNatType.PortRestrictedCone },
        { "alternate responder differs", One(P1, P1, portAnswered: true) with { MappedAlternateResponder = P2 }, MappingBehavior.AddressDependent, FilteringBehavior.AddressDependentOrOpen, ResponderCoverage.OneAddressWithAlternateResponder, UpstreamNatType.Symmetric },
        { "only the alternate responder answered", One(P1, null, portAnswered: false) with { MappedAlternateResponder = P2 }, MappingBehavior.EndpointDependent, FilteringBehavior.AddressAndPortDependent, ResponderCoverage.OneAddressWithAlternateResponder, UpstreamNatType.Symmetric },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Observations_classify_as_the_table_says(string name, NatObservations observations, MappingBehavior mapping, FilteringBehavior filtering, ResponderCoverage coverage, string natType)
    {
        var result = NatClassifier.Classify(observations);

        result.Mapping.Should().Be(mapping, name);
        result.Filtering.Should().Be(filtering, name);
        result.Coverage.Should().Be(coverage, name);
        result.UpstreamNatType.Should().Be(natType, name);
        result.Public.Should().Be(observations.MappedPrimary);
        result.Translated.Should().Be(!observations.MappedPrimary.Equals(Local));
    }

    [Fact]
    public void What_one_address_cannot_tell_is_said_in_the_notes()
    {
        var result = NatClassifier.Classify(One(P1, P1, portAnswered: true));

        result.Notes.Should().Contain(n => n.Contains("address-dependent or open (not distinguishable with one responder address)", StringComparison.Ordinal));
        result.Notes.Should().Contain(n => n.Contains("look alike with one responder address", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_a_stable_mapping_publishes_a_port()
    {
        NatClassifier.Classify(One(P1, P1, portAnswered: false)).PublishablePort.Should().Be(4500);
        NatClassifier.Classify(One(P1, P2, portAnswered: false)).PublishablePort.Should().Be(0);
        NatClassifier.Classify(One(P1, null, portAnswered: false)).PublishablePort.Should().Be(0);
    }

    public static TheoryData<bool, MappingBehavior, FilteringBehavior, string> UpstreamStrings()
    {
        var data = new TheoryData<bool, MappingBehavior, FilteringBehavior, string>();
        foreach (var translated in new[] { true, false })
        {
            foreach (var filtering in Enum.GetValues<FilteringBehavior>())
            {
                foreach (var mapping in new[] { MappingBehavior.AddressDependent, MappingBehavior.AddressAndPortDependent, MappingBehavior.EndpointDependent })
                {
                    data.Add(translated, mapping, filtering, UpstreamNatType.Symmetric);
                }

                data.Add(translated, MappingBehavior.Unknown, filtering, UpstreamNatType.Undefined);
                foreach (var mapping in new[] { MappingBehavior.EndpointIndependent, MappingBehavior.EndpointIndependentOrAddressDependent })
                {
                    data.Add(translated, mapping, filtering, filtering switch
                    {
                        FilteringBehavior.EndpointIndependent => translated ? "Full cone NAT" : "Open Internet (no NAT)",
                        FilteringBehavior.AddressDependentOrOpen => translated ? "Restricted cone NAT" : "Open Internet (no NAT)",
                        FilteringBehavior.AddressDependent => "Restricted cone NAT",
                        FilteringBehavior.AddressAndPortDependent => "Port Restricted cone NAT",
                        _ => "Undefined",
                    });
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(UpstreamStrings))]
    public void Every_behaviour_maps_to_an_exact_upstream_string(bool translated, MappingBehavior mapping, FilteringBehavior filtering, string expected) =>
        UpstreamNatType.For(translated, mapping, filtering).Should().Be(expected);

    private static NatObservations One(IPEndPoint first, IPEndPoint? alternatePort, bool portAnswered) => new()
    {
        Local = Local,
        Responder = Responder,
        MappedPrimary = first,
        OtherAddress = OneAddressOther,
        MappedAlternatePort = alternatePort,
        ChangePortAnswered = portAnswered,
    };

    private static NatObservations Two(IPEndPoint first, IPEndPoint alternatePort, IPEndPoint otherAddress, IPEndPoint? third, bool both, bool port) => new()
    {
        Local = Local,
        Responder = Responder,
        MappedPrimary = first,
        OtherAddress = TwoAddressOther,
        MappedAlternatePort = alternatePort,
        MappedOtherAddress = otherAddress,
        MappedOtherAddressAlternatePort = third,
        ChangeAddressAndPortAnswered = both,
        ChangePortAnswered = port,
    };
}
