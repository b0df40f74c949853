using System.Net;

namespace Raven.Lab.Topology;

/// <summary>Whether a domain can be reached from the internet (cloud) or only reaches out through NAT (edge).</summary>
public enum DomainExposure
{
    /// <summary>Reachable: its gateway node has a one-to-one public address (Gateway <c>underNAT: false</c>).</summary>
    Public,

    /// <summary>Behind a NAT router that drops unsolicited inbound traffic (Gateway <c>underNAT: true</c>).</summary>
    BehindNat,
}

/// <summary>A network domain of the cluster: one LAN behind one router, managed by one Raven Gateway.</summary>
/// <param name="Key">Short name used in namespace and interface names, e.g. <c>hz</c>.</param>
/// <param name="Region">Human name from the manual, e.g. <c>hangzhou</c>.</param>
/// <param name="GatewayName">The Gateway whose label the domain's nodes carry, e.g. <c>gw-hangzhou</c>.</param>
/// <param name="Exposure">Public (cloud) or behind NAT (edge).</param>
/// <param name="LanCidr">The LAN all nodes of the domain share.</param>
/// <param name="Router">The domain's router.</param>
/// <param name="Nodes">The domain's nodes.</param>
/// <param name="SharesLanWith">
/// The key of another domain whose LAN addresses this one deliberately reuses (to show Raven working across IP
/// conflicts); null for ordinary domains.
/// </param>
public sealed record LabDomain(
    string Key,
    string Region,
    string GatewayName,
    DomainExposure Exposure,
    IPNetwork LanCidr,
    LabRouter Router,
    IReadOnlyList<LabNode> Nodes,
    string? SharesLanWith = null);
