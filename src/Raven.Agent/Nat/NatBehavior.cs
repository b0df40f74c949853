namespace Raven.Agent.Nat;

/// <summary>
/// How the NAT maps one local address:port to public ones (RFC 4787 §4.1), including the honest answers one
/// responder address allows.
/// </summary>
public enum MappingBehavior
{
    /// <summary>Not measured: the alternate port did not answer.</summary>
    Unknown,

    /// <summary>The same public address:port towards every destination (proven against a second address, or no NAT at all).</summary>
    EndpointIndependent,

    /// <summary>
    /// The same public port towards both ports of one responder address. Endpoint-independent, or address-dependent:
    /// not distinguishable without a second responder address. Treated as endpoint-independent (the common case:
    /// Linux netfilter and typical CPE routers keep one mapping per local port).
    /// </summary>
    EndpointIndependentOrAddressDependent,

    /// <summary>A new mapping per destination address, the same for ports of one address.</summary>
    AddressDependent,

    /// <summary>A new mapping per destination address and port ("symmetric").</summary>
    AddressAndPortDependent,

    /// <summary>A new mapping towards another address; whether ports matter too was not measured.</summary>
    EndpointDependent,
}

/// <summary>Which inbound packets the NAT lets through to a mapping (RFC 4787 §5).</summary>
public enum FilteringBehavior
{
    /// <summary>Not measured: the responder advertised no other address or port, or refused CHANGE-REQUEST.</summary>
    Unknown,

    /// <summary>Open: anyone may send to the mapping (proven: an answer from the other address and port arrived).</summary>
    EndpointIndependent,

    /// <summary>Only addresses the host has sent to (proven with a second responder address).</summary>
    AddressDependent,

    /// <summary>
    /// An answer from another port of the responder's address arrived: address-dependent or open, not
    /// distinguishable with one responder address.
    /// </summary>
    AddressDependentOrOpen,

    /// <summary>Only the exact address:port the host has sent to.</summary>
    AddressAndPortDependent,
}

/// <summary>What the responder side offered the client, which bounds what could be told.</summary>
public enum ResponderCoverage
{
    /// <summary>Only the primary port answered: no OTHER-ADDRESS, no behaviour tests.</summary>
    SinglePort,

    /// <summary>One address with an alternate port: the usual gateway.</summary>
    OneAddress,

    /// <summary>One responder with a second address of its own (full RFC 5780 tests).</summary>
    TwoAddresses,

    /// <summary>One address plus another responder (another node): mapping fully, filtering as with one address.</summary>
    OneAddressWithAlternateResponder,
}
