namespace Raven.Lab.Topology;

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
