using System.Net;
using Raven.Agent.Linux.Processes;
using Raven.Lab.Shell;
using Raven.Lab.Topology;

namespace Raven.Lab.Build;

/// <summary>
/// PURE: the commands that build a topology, in three stages. Every command names its target namespace
/// (<c>ip -n</c>, <c>ip netns exec</c>); veths are created from inside one lab namespace with the peer placed
/// directly in another, so no interface ever exists in the root namespace, and no route leads out of the lab.
/// </summary>
public static class LabBuildPlan
{
    public static IReadOnlyList<LabStage> Create(LabTopology topology)
    {
        TopologyCheck.ThrowIfInvalid(topology);
        return [Namespaces(topology), Links(topology), Addresses(topology)];
    }

    /// <summary>An <c>ip</c> batch run inside a namespace: one process for all its link/address/route changes.</summary>
    public static CommandLine IpBatch(string netns, IEnumerable<string> lines) =>
        new CommandLine("ip", "-n", netns, "-batch", "-").WithInput(string.Join('\n', lines) + "\n");

    public static CommandLine InNamespace(string netns, string program, params string[] arguments) =>
        new("ip", ["netns", "exec", netns, program, .. arguments]);

    private const string Forwarding = "net.ipv4.ip_forward=1";

    // Routers share the wire with nodes; a redirect would only tell a node to skip a hop the lab wants it to take.
    private static readonly string[] NoRedirects = ["net.ipv4.conf.all.send_redirects=0", "net.ipv4.conf.default.send_redirects=0"];

    // The LAN and internet bridges stand for plain switches, so bridged frames must not run through the router's
    // netfilter (br_netfilter would otherwise conntrack and filter node-to-node traffic inside the router).
    private static readonly string[] PlainSwitch = ["net.bridge.bridge-nf-call-iptables=0", "net.bridge.bridge-nf-call-arptables=0"];

    private static LabStage Namespaces(LabTopology topology)
    {
        var names = topology.Names;
        var jobs = new List<LabJob> { NamespaceJob(names.Internet, [Forwarding, .. NoRedirects, .. PlainSwitch]) };
        jobs.AddRange(topology.Domains.Select(d => NamespaceJob(names.Router(d), [Forwarding, .. NoRedirects, .. PlainSwitch])));
        jobs.AddRange(topology.Nodes.Select(n => NamespaceJob(names.Node(n), Forwarding)));
        jobs.AddRange(topology.Nodes.Select(n => NamespaceJob(names.Pod(n))));
        return new LabStage("namespaces", jobs);
    }

    // IPv6 is off: the seed cluster is IPv4 only, and router solicitations and DAD would only add noise to captures.
    // -e: a kernel without br_netfilter has no net.bridge keys, and then there is nothing to switch off.
    private static LabJob NamespaceJob(string netns, params string[] sysctls) => new(netns,
    [
        new CommandLine("ip", "netns", "add", netns),
        InNamespace(netns, "sysctl", ["-q", "-e", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1", .. sysctls]),
    ]);

    private static LabStage Links(LabTopology topology)
    {
        var names = topology.Names;
        var jobs = new List<LabJob>
        {
            new(names.Internet, [IpBatch(names.Internet, [
                "link set lo up",
                $"link add {LabNames.InternetBridge} type bridge",
                .. topology.Domains.Select(d => Veth(LabNames.InternetPort(d), LabNames.RouterWan, names.Router(d))),
            ])]),
        };
        foreach (var domain in topology.Domains)
        {
            var router = names.Router(domain);
            jobs.Add(new LabJob(router, [IpBatch(router, [
                "link set lo up",
                $"link add {LabNames.RouterLanBridge} type bridge",
                .. domain.Nodes.Select(n => Veth(LabNames.RouterPort(n), LabNames.NodeLan, names.Node(n))),
            ])]));
            jobs.Add(new LabJob(router, [InNamespace(router, "iptables-restore").WithInput(RouterRules.For(domain))]));
        }

        jobs.AddRange(topology.Nodes.Select(n => new LabJob(names.Node(n), [IpBatch(names.Node(n), [
            "link set lo up",
            $"link add {LabNames.NodePodBridge} type bridge",
            Veth(LabNames.NodePodVeth, LabNames.PodInterface, names.Pod(n)),
        ])])));
        jobs.AddRange(topology.Nodes.Select(n => new LabJob(names.Pod(n), [IpBatch(names.Pod(n), ["link set lo up"])])));
        return new LabStage("links", jobs);
    }

    private static string Veth(string local, string peer, string peerNamespace) =>
        $"link add {local} type veth peer name {peer} netns {peerNamespace}";

    private static LabStage Addresses(LabTopology topology)
    {
        var names = topology.Names;
        var jobs = new List<LabJob> { new(names.Internet, [IpBatch(names.Internet, InternetLines(topology))]) };
        foreach (var domain in topology.Domains)
        {
            jobs.Add(new LabJob(names.Router(domain), [IpBatch(names.Router(domain), RouterLines(domain))]));
            foreach (var node in domain.Nodes)
            {
                jobs.Add(new LabJob(names.Node(node), [IpBatch(names.Node(node), NodeLines(domain, node))]));
                jobs.Add(new LabJob(names.Pod(node), [IpBatch(names.Pod(node),
                [
                    $"link set {LabNames.PodInterface} up",
                    $"addr add {Ipv4.WithPrefix(node.PodAddress, node.PodCidr)} dev {LabNames.PodInterface}",
                    $"route add default via {node.PodGatewayAddress} dev {LabNames.PodInterface}",
                ])]));
            }
        }

        return new LabStage("addresses", jobs);
    }

    private static IEnumerable<string> InternetLines(LabTopology topology)
    {
        var bridge = LabNames.InternetBridge;
        yield return $"link set {bridge} up";
        foreach (var subnet in topology.Internet.Subnets)
        {
            yield return $"addr add {Ipv4.WithPrefix(subnet.CoreAddress, subnet.Network)} dev {bridge}";
        }

        foreach (var domain in topology.Domains)
        {
            yield return $"link set {LabNames.InternetPort(domain)} master {bridge}";
            yield return $"link set {LabNames.InternetPort(domain)} up";
        }

        // The provider routes each elastic IP to the router that translates it; see PublicAddressMapping.
        foreach (var domain in topology.Domains.Where(d => d.Router.Exposure is not null))
        {
            yield return $"route add {domain.Router.Exposure!.PublicAddress}/32 via {domain.Router.WanAddress} dev {bridge}";
        }
    }

    private static IEnumerable<string> RouterLines(LabDomain domain)
    {
        var router = domain.Router;
        yield return $"link set {LabNames.RouterLanBridge} up";
        yield return $"addr add {Ipv4.WithPrefix(router.LanAddress, domain.LanCidr)} dev {LabNames.RouterLanBridge}";
        foreach (var node in domain.Nodes)
        {
            yield return $"link set {LabNames.RouterPort(node)} master {LabNames.RouterLanBridge}";
            yield return $"link set {LabNames.RouterPort(node)} up";
        }

        yield return $"link set {LabNames.RouterWan} up";
        yield return $"addr add {Ipv4.WithPrefix(router.WanAddress, router.WanNetwork)} dev {LabNames.RouterWan}";
        yield return DefaultRoute(router.WanGateway, LabNames.RouterWan);
    }

    private static IEnumerable<string> NodeLines(LabDomain domain, LabNode node)
    {
        yield return $"link set {LabNames.NodeLan} up";
        yield return $"addr add {Ipv4.WithPrefix(node.LanAddress, domain.LanCidr)} dev {LabNames.NodeLan}";
        yield return DefaultRoute(domain.Router.LanAddress, LabNames.NodeLan);
        yield return $"link set {LabNames.NodePodBridge} up";
        yield return $"addr add {Ipv4.WithPrefix(node.PodGatewayAddress, node.PodCidr)} dev {LabNames.NodePodBridge}";
        yield return $"link set {LabNames.NodePodVeth} master {LabNames.NodePodBridge}";
        yield return $"link set {LabNames.NodePodVeth} up";
    }

    private static string DefaultRoute(IPAddress via, string device) => $"route add default via {via} dev {device}";
}
