namespace Raven.Agent.Nat;

/// <summary>
/// The <c>natType</c> strings upstream Raven writes (go-stun's <c>NATBehavior.NormalType()</c>, RFC 3489 names) and
/// reads: its planner refuses direct edge↔edge for "Undefined" and for the pairs (Symmetric, Symmetric),
/// (Symmetric, Port Restricted cone) and (Port Restricted cone, Symmetric). Kept byte for byte.
/// </summary>
public static class UpstreamNatType
{
    public const string FullCone = "Full cone NAT";
    public const string RestrictedCone = "Restricted cone NAT";
    public const string PortRestrictedCone = "Port Restricted cone NAT";
    public const string Symmetric = "Symmetric NAT";
    public const string Undefined = "Undefined";

    /// <summary>go-stun's later spelling for "no translation" (its NoTranslation flag); upstream treats it like a cone.</summary>
    public const string OpenInternet = "Open Internet (no NAT)";

    /// <summary>
    /// The string for a behaviour. Mapping decides first, because for hole punching it is what matters: any
    /// mapping that changes with the destination is "Symmetric NAT" (RFC 3489's definition, whatever the
    /// filtering), which upstream then never pairs with a symmetric or port-restricted peer. With endpoint-independent
    /// mapping the filtering picks the cone; "address-dependent or open" is reported as the weaker claim
    /// (restricted cone), which upstream treats exactly like full cone.
    /// </summary>
    public static string For(bool translated, MappingBehavior mapping, FilteringBehavior filtering)
    {
        switch (mapping)
        {
            case MappingBehavior.AddressDependent or MappingBehavior.AddressAndPortDependent or MappingBehavior.EndpointDependent:
                return Symmetric;
            case MappingBehavior.Unknown:
                return Undefined;
        }

        return filtering switch
        {
            FilteringBehavior.EndpointIndependent => translated ? FullCone : OpenInternet,
            FilteringBehavior.AddressDependentOrOpen => translated ? RestrictedCone : OpenInternet,
            FilteringBehavior.AddressDependent => RestrictedCone,
            FilteringBehavior.AddressAndPortDependent => PortRestrictedCone,
            _ => Undefined,
        };
    }
}
