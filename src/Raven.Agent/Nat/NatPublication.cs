using System.Net;

namespace Raven.Agent.Nat;

/// <summary>The three fields of upstream's tunnel endpoint that NAT discovery owns.</summary>
public sealed record NatEndpointFields(string? PublicIP, int PublicPort, string? NatType)
{
    public override string ToString() => $"publicIP={PublicIP ?? "-"} publicPort={PublicPort} natType={NatType ?? "-"}";
}

/// <summary>A changed value waiting for confirmation by the next run (kept in memory only).</summary>
public sealed record NatPublicationState(NatEndpointFields? Candidate, int Seen)
{
    public static NatPublicationState Empty { get; } = new(null, 0);
}

public sealed record NatPublicationInput
{
    /// <summary>What the endpoint in the Gateway says now (the API's copy survives agent restarts).</summary>
    public required NatEndpointFields Current { get; init; }

    /// <summary>This run's result; a failed run changes nothing.</summary>
    public required NatDiscoveryResult Discovery { get; init; }

    /// <summary>The cloud's view of this edge's tunnel source, compared first when known.</summary>
    public CrossCheckResult? CrossCheck { get; init; }

    /// <summary>publicIP comes from elsewhere (--public-ip, a LoadBalancer ingress): never written from STUN.</summary>
    public bool PublicIpPinned { get; init; }

    /// <summary>How many consecutive runs must agree before an already published value is replaced.</summary>
    public int Confirmations { get; init; } = 2;
}

/// <summary>Write these fields (only the changed ones differ from <see cref="NatPublicationInput.Current"/>), or nothing.</summary>
public sealed record NatPublicationDecision(NatEndpointFields? Write, NatPublicationState State, string Reason, IReadOnlyList<string> Warnings);

/// <summary>
/// Pure: what an edge writes into its tunnel endpoint (<c>publicIP</c>, <c>publicPort</c>, <c>natType</c>) and
/// when. Only on change; a failed run never clears what is published (an outage of the responder must not take
/// direct paths away); empty fields are filled at once, but a published value is replaced only after
/// <see cref="NatPublicationInput.Confirmations"/> runs in a row agree, so one odd run does not flap the planner of
/// every peer. A restart starts with no candidate and the API's values, so it never causes a write by itself.
/// </summary>
public static class NatPublication
{
    public static NatPublicationDecision Decide(NatPublicationInput input, NatPublicationState state)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(state);
        var warnings = new List<string>();
        if (input.Discovery.Classification is not { } classification)
        {
            return new NatPublicationDecision(null, state, $"nothing written: {input.Discovery}", warnings);
        }

        var desired = Desired(input, classification, warnings);
        if (desired == input.Current)
        {
            return new NatPublicationDecision(null, NatPublicationState.Empty, "published values are current", warnings);
        }

        // No natType yet: discovery has never published, nothing a peer relies on can flap.
        bool firstPublication = string.IsNullOrEmpty(input.Current.NatType);
        int seen = state.Candidate == desired ? state.Seen + 1 : 1;
        if (!firstPublication && seen < input.Confirmations)
        {
            return new NatPublicationDecision(null, new NatPublicationState(desired, seen),
                $"{input.Current} would become {desired}; waiting for {input.Confirmations - seen} more run(s) to agree", warnings);
        }

        return new NatPublicationDecision(desired, NatPublicationState.Empty, $"{input.Current} -> {desired}", warnings);
    }

    private static NatEndpointFields Desired(NatPublicationInput input, NatClassification classification, List<string> warnings)
    {
        string natType = classification.UpstreamNatType;
        int port = classification.PublishablePort;
        if (input.CrossCheck is { } check)
        {
            if (check.ContradictsStableMapping)
            {
                // The tunnel's own flow proves the mapping depends on the destination: peers must not dial the STUN port.
                natType = UpstreamNatType.Symmetric;
                port = 0;
                warnings.Add(check.Diagnostic);
            }
        }

        string publicIp = classification.Public.Address.ToString();
        if (input.PublicIpPinned)
        {
            if (input.Current.PublicIP is { Length: > 0 } pinned && IPAddress.TryParse(pinned, out var pinnedIp) && !pinnedIp.Equals(classification.Public.Address))
            {
                warnings.Add($"publicIP is pinned to {pinned}, but STUN sees this edge as {classification.Public.Address}");
            }

            publicIp = input.Current.PublicIP ?? "";
        }

        return new NatEndpointFields(publicIp.Length == 0 ? null : publicIp, port, natType);
    }
}
