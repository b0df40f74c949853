using System.Net;

namespace Raven.Lab.Topology;

/// <summary>An address the lab assigns and who holds it (domain key, or null for the internet core).</summary>
public sealed record AddressOwner(IPAddress Address, string? DomainKey, string Holder);

/// <summary>One address held by more than one owner.</summary>
public sealed record AddressCollision(IPAddress Address, IReadOnlyList<AddressOwner> Owners)
{
    /// <summary>True when every owner sits in one of two domains that were declared to share a LAN.</summary>
    public bool IsIntended(LabTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var domains = Owners.Select(o => o.DomainKey).Distinct().ToList();
        if (domains.Count != Owners.Count || domains.Any(d => d is null))
        {
            return false;
        }

        var involved = domains.Select(d => topology.Domain(d!)).ToList();
        return involved.All(d => d.LanCidr.Contains(Address)) &&
               involved.Any(d => d.SharesLanWith is not null && involved.Any(o => o.Key == d.SharesLanWith));
    }
}
