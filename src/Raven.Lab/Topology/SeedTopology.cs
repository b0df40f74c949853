using System.Net;

namespace Raven.Lab.Topology;

/// <summary>
/// The cluster of the user manual's walkthrough: gw-cloud (master + cloud node, exposed with a public IP),
/// gw-hangzhou and gw-qingdao (two edge nodes each, behind NAT). Node IPs and pod CIDRs are the manual's
/// (hangzhou 172.16.2.103/104 with pods in 10.244.18/19, qingdao 172.16.1.89/90 with 10.244.16/17, cloud
/// 192.168.0.195/196). gw-shenzhen is the lab's addition: an edge domain reusing hangzhou's LAN and node IPs, to
/// show Raven across IP conflicts. Public addresses come from TEST-NET instead of the manual's real ones.
/// </summary>
internal static class SeedTopology
{
    private static readonly IPNetwork EdgeWan = IPNetwork.Parse("198.51.100.0/24");
    private static readonly IPNetwork CloudWan = IPNetwork.Parse("203.0.113.0/24");
    private static readonly IPAddress EdgeCore = IPAddress.Parse("198.51.100.1");
    private static readonly IPAddress CloudCore = IPAddress.Parse("203.0.113.1");

    public static LabTopology Create(string prefix)
    {
        var internet = new LabInternet([new InternetSubnet(EdgeWan, EdgeCore), new InternetSubnet(CloudWan, CloudCore)]);
        return new LabTopology(new LabNames(prefix), internet, [Cloud(), Hangzhou(), Qingdao(), Shenzhen()]);
    }

    private static LabDomain Cloud() => new(
        "cloud",
        "cloud",
        "gw-cloud",
        DomainExposure.Public,
        IPNetwork.Parse("192.168.0.0/24"),
        new LabRouter(
            IPAddress.Parse("192.168.0.1"),
            IPAddress.Parse("203.0.113.2"),
            CloudWan,
            CloudCore,
            new PublicAddressMapping(IPAddress.Parse("203.0.113.10"), "cloud-1")),
        [Node("cloud-1", "192.168.0.195", "10.244.0.0/24"), Node("cloud-2", "192.168.0.196", "10.244.1.0/24")]);

    private static LabDomain Hangzhou() => Edge(
        "hz", "hangzhou", "172.16.2.0/24", "198.51.100.11",
        [Node("hz-1", "172.16.2.103", "10.244.18.0/24"), Node("hz-2", "172.16.2.104", "10.244.19.0/24")]);

    private static LabDomain Qingdao() => Edge(
        "qd", "qingdao", "172.16.1.0/24", "198.51.100.12",
        [Node("qd-1", "172.16.1.89", "10.244.16.0/24"), Node("qd-2", "172.16.1.90", "10.244.17.0/24")]);

    private static LabDomain Shenzhen() => Edge(
        "sz", "shenzhen", "172.16.2.0/24", "198.51.100.13",
        [Node("sz-1", "172.16.2.103", "10.244.20.0/24"), Node("sz-2", "172.16.2.104", "10.244.21.0/24")]) with
    {
        SharesLanWith = "hz",
    };

    private static LabDomain Edge(string key, string region, string lan, string wan, IReadOnlyList<LabNode> nodes)
    {
        var lanCidr = IPNetwork.Parse(lan);
        var router = new LabRouter(Ipv4.Host(lanCidr, 1), IPAddress.Parse(wan), EdgeWan, EdgeCore, Exposure: null);
        return new LabDomain(key, region, "gw-" + region, DomainExposure.BehindNat, lanCidr, router, nodes);
    }

    private static LabNode Node(string name, string lanAddress, string podCidr) =>
        new(name, name, IPAddress.Parse(lanAddress), IPNetwork.Parse(podCidr));
}
