using System.Net;

namespace Raven.Agent.Nat;

/// <summary>
/// The raw results of one discovery run, before any interpretation: the mapped address towards each destination
/// tried (null when that destination did not answer or was not tried) and whether each filtering test's answer
/// arrived (null when not run). Pure data; <see cref="NatClassifier"/> turns it into a classification.
/// </summary>
public sealed record NatObservations
{
    /// <summary>Where requests left from, before NAT.</summary>
    public required IPEndPoint Local { get; init; }

    /// <summary>The primary responder address:port the edge was configured with.</summary>
    public required IPEndPoint Responder { get; init; }

    /// <summary>Test I: the mapping towards the primary responder endpoint.</summary>
    public required IPEndPoint MappedPrimary { get; init; }

    /// <summary>OTHER-ADDRESS from test I, when the responder supports RFC 5780.</summary>
    public IPEndPoint? OtherAddress { get; init; }

    /// <summary>The mapping towards the responder's own address at the alternate port.</summary>
    public IPEndPoint? MappedAlternatePort { get; init; }

    /// <summary>The mapping towards the other address at the primary port (RFC 5780 test II).</summary>
    public IPEndPoint? MappedOtherAddress { get; init; }

    /// <summary>The mapping towards the other address at the alternate port (RFC 5780 test III).</summary>
    public IPEndPoint? MappedOtherAddressAlternatePort { get; init; }

    /// <summary>The mapping towards a separately configured second responder (another exposed node).</summary>
    public IPEndPoint? MappedAlternateResponder { get; init; }

    /// <summary>Filtering test II: the answer to "change address and port" arrived (null: not run).</summary>
    public bool? ChangeAddressAndPortAnswered { get; init; }

    /// <summary>Filtering test III: the answer to "change port" arrived (null: not run).</summary>
    public bool? ChangePortAnswered { get; init; }

    /// <summary>The responder refused CHANGE-REQUEST with an error (it is not an RFC 5780 server).</summary>
    public bool ChangeRequestRefused { get; init; }
}
