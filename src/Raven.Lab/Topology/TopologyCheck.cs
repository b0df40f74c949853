using System.Net;
using System.Text.RegularExpressions;

namespace Raven.Lab.Topology;

/// <summary>Checks a topology before anything is built; each problem names the field and value at fault.</summary>
public static partial class TopologyCheck
{
    public static IReadOnlyList<string> Problems(LabTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var problems = new List<string>();
        CheckNames(topology, problems);
        CheckInternet(topology, problems);
        foreach (var domain in topology.Domains)
        {
            CheckDomain(topology, domain, problems);
        }

        CheckPodCidrs(topology, problems);
        CheckLanOverlaps(topology, problems);
        problems.AddRange(AddressPlan.Collisions(topology)
            .Where(c => !c.IsIntended(topology))
            .Select(c => $"address {c.Address} is used by {string.Join(", ", c.Owners.Select(o => o.Holder))}"));
        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public static void ThrowIfInvalid(LabTopology topology)
    {
        var problems = Problems(topology);
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid lab topology:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems), nameof(topology));
        }
    }

    /// <summary>Every interface name the lab creates, with the namespace it lives in.</summary>
    public static IEnumerable<(string Namespace, string Interface)> Interfaces(LabTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var names = topology.Names;
        yield return (names.Internet, LabNames.InternetBridge);
        foreach (var domain in topology.Domains)
        {
            yield return (names.Internet, LabNames.InternetPort(domain));
            yield return (names.Router(domain), LabNames.RouterWan);
            yield return (names.Router(domain), LabNames.RouterLanBridge);
            foreach (var node in domain.Nodes)
            {
                yield return (names.Router(domain), LabNames.RouterPort(node));
                yield return (names.Node(node), LabNames.NodeLan);
                yield return (names.Node(node), LabNames.NodePodBridge);
                yield return (names.Node(node), LabNames.NodePodVeth);
                yield return (names.Pod(node), LabNames.PodInterface);
            }
        }
    }

    private static void CheckNames(LabTopology topology, List<string> problems)
    {
        foreach (var key in topology.Domains.Select(d => d.Key).Concat(topology.Nodes.Select(n => n.LabName)))
        {
            if (!ShortName().IsMatch(key))
            {
                problems.Add($"lab name '{key}' must be lowercase letters, digits and '-', starting with a letter");
            }
        }

        foreach (var name in topology.Namespaces.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"namespace name '{name.Key}' is used twice");
        }

        problems.AddRange(topology.Namespaces
            .Where(n => n.Length > LabNames.MaxNamespaceNameLength)
            .Select(n => $"namespace name '{n}' is longer than {LabNames.MaxNamespaceNameLength} characters"));
        var interfaces = Interfaces(topology).ToList();
        problems.AddRange(interfaces
            .Where(i => i.Interface.Length > LabNames.MaxInterfaceNameLength)
            .Select(i => $"interface name '{i.Interface}' in {i.Namespace} is longer than {LabNames.MaxInterfaceNameLength} characters"));
        problems.AddRange(interfaces
            .GroupBy(i => i)
            .Where(g => g.Count() > 1)
            .Select(g => $"interface name '{g.Key.Interface}' is used twice in {g.Key.Namespace}"));
    }

    private static void CheckInternet(LabTopology topology, List<string> problems)
    {
        foreach (var subnet in topology.Internet.Subnets)
        {
            if (!TestNet.Contains(subnet.Network))
            {
                problems.Add($"internet subnet {subnet.Network} is outside TEST-NET");
            }

            if (!Ipv4.IsHostOf(subnet.Network, subnet.CoreAddress))
            {
                problems.Add($"internet core address {subnet.CoreAddress} is not a host of {subnet.Network}");
            }
        }
    }

    private static void CheckDomain(LabTopology topology, LabDomain domain, List<string> problems)
    {
        var router = domain.Router;
        var where = $"domain {domain.Key}";
        if (!Ipv4.IsHostOf(domain.LanCidr, router.LanAddress))
        {
            problems.Add($"{where}: router LAN address {router.LanAddress} is not a host of {domain.LanCidr}");
        }

        if (!TestNet.Contains(router.WanAddress) || !Ipv4.IsHostOf(router.WanNetwork, router.WanAddress))
        {
            problems.Add($"{where}: router WAN address {router.WanAddress} must be a TEST-NET host of {router.WanNetwork}");
        }

        if (!topology.Internet.Subnets.Contains(new InternetSubnet(router.WanNetwork, router.WanGateway)))
        {
            problems.Add($"{where}: router WAN gateway {router.WanGateway} on {router.WanNetwork} is not an internet core address");
        }

        CheckExposure(domain, problems);
        foreach (var node in domain.Nodes.Where(n => !Ipv4.IsHostOf(domain.LanCidr, n.LanAddress)))
        {
            problems.Add($"{where}: node {node.LabName} LAN address {node.LanAddress} is not a host of {domain.LanCidr}");
        }

        if (domain.SharesLanWith is { } other && topology.Domains.All(d => d.Key != other || d.LanCidr != domain.LanCidr))
        {
            problems.Add($"{where}: sharesLanWith '{other}' names no domain with the same LAN {domain.LanCidr}");
        }
    }

    private static void CheckExposure(LabDomain domain, List<string> problems)
    {
        var exposure = domain.Router.Exposure;
        var where = $"domain {domain.Key}";
        if ((domain.Exposure == DomainExposure.Public) != (exposure is not null))
        {
            problems.Add($"{where}: exposure {domain.Exposure} needs a public address mapping exactly when Public");
        }

        if (exposure is null)
        {
            return;
        }

        if (!TestNet.Contains(exposure.PublicAddress))
        {
            problems.Add($"{where}: public address {exposure.PublicAddress} is outside TEST-NET");
        }

        if (domain.Nodes.All(n => n.LabName != exposure.NodeLabName))
        {
            problems.Add($"{where}: public address {exposure.PublicAddress} maps to unknown node '{exposure.NodeLabName}'");
        }
    }

    private static void CheckPodCidrs(LabTopology topology, List<string> problems)
    {
        var nodes = topology.Nodes.ToList();
        for (var i = 0; i < nodes.Count; i++)
        {
            var cidr = nodes[i].PodCidr;
            if (cidr.PrefixLength > 30)
            {
                problems.Add($"node {nodes[i].LabName}: pod CIDR {cidr} has no room for a gateway and a pod");
            }

            problems.AddRange(nodes.Skip(i + 1)
                .Where(n => Ipv4.Overlaps(n.PodCidr, cidr))
                .Select(n => $"pod CIDR {cidr} of {nodes[i].LabName} overlaps {n.PodCidr} of {n.LabName}"));
            problems.AddRange(topology.Domains
                .Where(d => Ipv4.Overlaps(d.LanCidr, cidr))
                .Select(d => $"pod CIDR {cidr} of {nodes[i].LabName} overlaps the LAN {d.LanCidr} of {d.Key}"));
            problems.AddRange(TestNet.All
                .Where(t => Ipv4.Overlaps(t, cidr))
                .Select(t => $"pod CIDR {cidr} of {nodes[i].LabName} overlaps TEST-NET {t}"));
        }
    }

    private static void CheckLanOverlaps(LabTopology topology, List<string> problems)
    {
        var domains = topology.Domains;
        for (var i = 0; i < domains.Count; i++)
        {
            if (TestNet.All.Any(t => Ipv4.Overlaps(t, domains[i].LanCidr)))
            {
                problems.Add($"domain {domains[i].Key}: LAN {domains[i].LanCidr} overlaps TEST-NET, which the lab internet uses");
            }

            problems.AddRange(domains.Skip(i + 1)
                .Where(d => Ipv4.Overlaps(d.LanCidr, domains[i].LanCidr) && !Shares(d, domains[i]))
                .Select(d => $"LAN {domains[i].LanCidr} of {domains[i].Key} overlaps LAN {d.LanCidr} of {d.Key}"));
        }
    }

    private static bool Shares(LabDomain a, LabDomain b) =>
        a.LanCidr == b.LanCidr && (a.SharesLanWith == b.Key || b.SharesLanWith == a.Key);

    [GeneratedRegex("^[a-z][a-z0-9-]{0,11}$")]
    private static partial Regex ShortName();
}
