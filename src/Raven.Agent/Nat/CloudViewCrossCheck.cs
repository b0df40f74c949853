using System.Net;

namespace Raven.Agent.Nat;

/// <summary>Where the cloud gateway's view of an edge's tunnel source comes from.</summary>
public enum CloudViewSource
{
    /// <summary>The peer's <c>endpoint=</c> in the cloud's WireGuard UAPI (WireGuard roams to the last source).</summary>
    WireGuardEndpoint,

    /// <summary>The remote address and port of the IKE SA on the cloud's charon.</summary>
    IkePeerAddress,
}

public enum CrossCheckVerdict
{
    /// <summary>STUN and the cloud saw the same public address and port.</summary>
    Agree,

    /// <summary>Same address, another port, as endpoint-dependent mapping makes it: the STUN port is not the tunnel's.</summary>
    PortDiffersAsMappingPredicts,

    /// <summary>Same address, another port, although the mapping looked endpoint-independent.</summary>
    PortDisagrees,

    /// <summary>Another public address: the NAT uses several (address pooling) or the path to the cloud is different.</summary>
    AddressDisagrees,

    /// <summary>Nothing to compare: the cloud has no endpoint for the edge yet.</summary>
    NoCloudView,
}

public sealed record CrossCheckResult(CrossCheckVerdict Verdict, string Diagnostic)
{
    /// <summary>True when the cloud's view contradicts the classification and the published port would mislead peers.</summary>
    public bool ContradictsStableMapping => Verdict is CrossCheckVerdict.PortDisagrees or CrossCheckVerdict.AddressDisagrees;
}

/// <summary>
/// Pure: the second source of truth. The cloud gateway sees where the edge's tunnel packets come from; with a stable
/// (endpoint-independent) mapping that is the STUN-learned public endpoint. A different port despite a stable
/// looking mapping is what Linux NAT does when the tunnel's flow clashed with another one and was remapped, so the
/// mapping is not to be trusted for peers.
/// </summary>
public static class CloudViewCrossCheck
{
    public static CrossCheckResult Compare(NatClassification classification, IPEndPoint? cloudView, CloudViewSource source)
    {
        ArgumentNullException.ThrowIfNull(classification);
        var stun = classification.Public;
        string seen = source == CloudViewSource.WireGuardEndpoint ? "the cloud's WireGuard endpoint" : "the cloud's IKE peer address";
        if (cloudView is null)
        {
            return new CrossCheckResult(CrossCheckVerdict.NoCloudView, $"{seen} for this edge is not known yet; STUN saw {stun}");
        }

        cloudView = Stun.StunAddressCodec.Normalize(cloudView);
        if (cloudView.Equals(stun))
        {
            return new CrossCheckResult(CrossCheckVerdict.Agree, $"STUN and {seen} agree on {stun}");
        }

        if (!cloudView.Address.Equals(stun.Address))
        {
            return new CrossCheckResult(CrossCheckVerdict.AddressDisagrees,
                $"STUN saw {stun} but {seen} is {cloudView}: the NAT uses more than one public address, or the tunnel takes another path");
        }

        return classification.MappingIsStable
            ? new CrossCheckResult(CrossCheckVerdict.PortDisagrees,
                $"STUN saw port {stun.Port} but {seen} is {cloudView}: the tunnel's flow was mapped to another port (a clash on the NAT?), so its mapping depends on the destination")
            : new CrossCheckResult(CrossCheckVerdict.PortDiffersAsMappingPredicts,
                $"STUN saw port {stun.Port}, {seen} is {cloudView}: expected with {classification.Mapping} mapping");
    }
}
