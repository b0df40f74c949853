namespace Raven.Agent.Nat;

/// <summary>
/// Pure: observations → classification, following RFC 5780 §4.3 (mapping) and §4.4 (filtering), adapted to a
/// responder with one address. What one address cannot tell is said so in the result instead of guessed:
/// endpoint-independent vs address-dependent mapping needs a second destination address, and open vs
/// address-dependent filtering needs an answer from a second source address.
/// </summary>
public static class NatClassifier
{
    public static NatClassification Classify(NatObservations observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var notes = new List<string>();
        bool translated = !observations.MappedPrimary.Equals(observations.Local);
        var coverage = CoverageOf(observations);
        var mapping = translated ? Mapping(observations, notes) : MappingBehavior.EndpointIndependent;
        var filtering = Filtering(observations, coverage, notes);
        if (!translated)
        {
            notes.Add("no translation: the responder saw the local address and port");
        }

        if (coverage == ResponderCoverage.SinglePort)
        {
            notes.Add("the responder advertised no OTHER-ADDRESS: it is not an RFC 5780 responder");
        }

        return new NatClassification(observations.Local, observations.MappedPrimary, translated, mapping, filtering, coverage,
            UpstreamNatType.For(translated, mapping, filtering), notes);
    }

    private static ResponderCoverage CoverageOf(NatObservations o)
    {
        if (o.OtherAddress is null)
        {
            return ResponderCoverage.SinglePort;
        }

        if (!o.OtherAddress.Address.Equals(o.Responder.Address))
        {
            return ResponderCoverage.TwoAddresses;
        }

        return o.MappedAlternateResponder is not null ? ResponderCoverage.OneAddressWithAlternateResponder : ResponderCoverage.OneAddress;
    }

    private static MappingBehavior Mapping(NatObservations o, List<string> notes)
    {
        var first = o.MappedPrimary;
        if (o.MappedAlternatePort is { } towardsAlternatePort && !towardsAlternatePort.Equals(first))
        {
            notes.Add($"mapping changed with the destination port: {first} towards {o.Responder}, {towardsAlternatePort} towards port {o.OtherAddress?.Port}");
            return MappingBehavior.AddressAndPortDependent;
        }

        // A different destination address: the responder's own second address, or another responder.
        var otherAddress = o.MappedOtherAddress ?? o.MappedAlternateResponder;
        if (otherAddress is not null)
        {
            if (otherAddress.Equals(first))
            {
                return MappingBehavior.EndpointIndependent;
            }

            notes.Add($"mapping changed with the destination address: {first} vs {otherAddress}");
            if (o.MappedOtherAddress is not null && o.MappedOtherAddressAlternatePort is { } third)
            {
                return third.Equals(o.MappedOtherAddress) ? MappingBehavior.AddressDependent : MappingBehavior.AddressAndPortDependent;
            }

            // Towards another responder, the port test above already said ports of one address share a mapping.
            return o.MappedAlternatePort is not null ? MappingBehavior.AddressDependent : MappingBehavior.EndpointDependent;
        }

        if (o.MappedAlternatePort is not null)
        {
            notes.Add("mapping is the same towards both responder ports; endpoint-independent and address-dependent mapping look alike with one responder address");
            return MappingBehavior.EndpointIndependentOrAddressDependent;
        }

        notes.Add("mapping not measured: no answer from the responder's alternate port");
        return MappingBehavior.Unknown;
    }

    private static FilteringBehavior Filtering(NatObservations o, ResponderCoverage coverage, List<string> notes)
    {
        if (o.ChangeRequestRefused)
        {
            notes.Add("filtering not measured: the responder refused CHANGE-REQUEST");
            return FilteringBehavior.Unknown;
        }

        if (o.ChangePortAnswered is not { } portAnswered)
        {
            return FilteringBehavior.Unknown;
        }

        if (coverage == ResponderCoverage.TwoAddresses && o.ChangeAddressAndPortAnswered is { } bothAnswered)
        {
            if (bothAnswered)
            {
                return FilteringBehavior.EndpointIndependent;
            }

            return portAnswered ? FilteringBehavior.AddressDependent : FilteringBehavior.AddressAndPortDependent;
        }

        if (!portAnswered)
        {
            return FilteringBehavior.AddressAndPortDependent;
        }

        notes.Add("an answer from another port arrived: filtering is address-dependent or open (not distinguishable with one responder address)");
        return FilteringBehavior.AddressDependentOrOpen;
    }
}
