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

/// <summary>Every address the lab hands out, to find collisions.</summary>
public static class AddressPlan
{
    public static IReadOnlyList<AddressOwner> Owners(LabTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var owners = topology.Internet.Subnets.Select(s => new AddressOwner(s.CoreAddress, null, "internet core")).ToList();
        foreach (var domain in topology.Domains)
        {
            var router = domain.Router;
            owners.Add(new AddressOwner(router.LanAddress, domain.Key, $"router {domain.Key} LAN"));
            owners.Add(new AddressOwner(router.WanAddress, domain.Key, $"router {domain.Key} WAN"));
            if (router.Exposure is not null)
            {
                owners.Add(new AddressOwner(router.Exposure.PublicAddress, domain.Key, $"public address of {router.Exposure.NodeLabName}"));
            }

            foreach (var node in domain.Nodes)
            {
                owners.Add(new AddressOwner(node.LanAddress, domain.Key, $"node {node.LabName}"));
                owners.Add(new AddressOwner(node.PodGatewayAddress, domain.Key, $"node {node.LabName} cni0"));
                owners.Add(new AddressOwner(node.PodAddress, domain.Key, $"pod on {node.LabName}"));
            }
        }

        return owners;
    }

    public static IReadOnlyList<AddressCollision> Collisions(LabTopology topology) =>
        Owners(topology)
            .GroupBy(o => o.Address)
            .Where(g => g.Count() > 1)
            .Select(g => new AddressCollision(g.Key, g.ToList()))
            .ToList();
}
