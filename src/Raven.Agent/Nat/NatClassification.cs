using System.Net;

namespace Raven.Agent.Nat;

/// <summary>
/// Our typed result of a discovery run: the public endpoint towards the primary responder, whether any translation
/// happened, the mapping and filtering behaviour as far as the responders could tell, and upstream's string.
/// </summary>
public sealed record NatClassification(
    IPEndPoint Local,
    IPEndPoint Public,
    bool Translated,
    MappingBehavior Mapping,
    FilteringBehavior Filtering,
    ResponderCoverage Coverage,
    string UpstreamNatType,
    IReadOnlyList<string> Notes)
{
    /// <summary>
    /// Whether peers can reach this side at <see cref="Public"/> once it has sent to them: the mapping must not
    /// change with the destination. Filtering hardly matters for a punch, since both sides send first; it only
    /// decides which side's packets open the way.
    /// </summary>
    public bool MappingIsStable => Mapping is MappingBehavior.EndpointIndependent or MappingBehavior.EndpointIndependentOrAddressDependent;

    /// <summary>The port to publish: the public port when the mapping is stable, 0 when no single port would work.</summary>
    public int PublishablePort => MappingIsStable ? Public.Port : 0;

    public override string ToString() =>
        $"{UpstreamNatType}: public {Public} (local {Local}), mapping {Mapping}, filtering {Filtering}, coverage {Coverage}";
}
