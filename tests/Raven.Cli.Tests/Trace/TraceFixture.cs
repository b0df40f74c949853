using k8s.Models;
using Raven.Api;
using Raven.Api.DataPlane;
using Raven.Api.V1Beta1;
using Raven.Cli.Tests.Status;
using Raven.Cli.Trace;

namespace Raven.Cli.Tests.Trace;

/// <summary>
/// The lab's seed cluster as the API shows it once everything is up: gw-cloud exposed (cloud-1 serving at
/// 203.0.113.10, not under NAT), gw-hangzhou, gw-qingdao and gw-shenzhen under NAT (x-1 serving), shenzhen reusing
/// hangzhou's node IPs; a Running pod default/p-NODE at .2 of each pod CIDR; every agent alive and reporting.
/// </summary>
internal sealed class TraceFixture
{
    public ClusterFixture Cluster { get; } = new();
    public List<V1Pod> Pods { get; } = [];
    public Dictionary<string, string>? AgentConfig { get; set; }

    private static readonly Dictionary<string, (string Public, string Nat, (string Node, string Ip, string Cidr)[] Nodes)> Domains = new()
    {
        ["gw-cloud"] = ("203.0.113.10", "", [("cloud-1", "192.168.0.195", "10.244.0.0/24"), ("cloud-2", "192.168.0.196", "10.244.1.0/24")]),
        ["gw-hangzhou"] = ("198.51.100.11", "nat", [("hz-1", "172.16.2.103", "10.244.18.0/24"), ("hz-2", "172.16.2.104", "10.244.19.0/24")]),
        ["gw-qingdao"] = ("198.51.100.12", "nat", [("qd-1", "172.16.1.89", "10.244.16.0/24"), ("qd-2", "172.16.1.90", "10.244.17.0/24")]),
        ["gw-shenzhen"] = ("198.51.100.13", "nat", [("sz-1", "172.16.2.103", "10.244.20.0/24"), ("sz-2", "172.16.2.104", "10.244.21.0/24")]),
    };

    public static TraceFixture Seed()
    {
        var f = new TraceFixture();
        var key = 1;
        foreach (var (name, (ip, nat, nodes)) in Domains)
        {
            var serving = nodes[0].Node;
            var tunnel = new Endpoint
            {
                NodeName = serving, Type = WellKnown.EndpointTypeTunnel, UnderNAT = nat.Length > 0, PublicIP = ip, Port = 4500,
                Config = new Dictionary<string, string> { ["publicKey"] = Key(key++), [WellKnown.EnableL3TunnelKey] = "true" },
            };
            var proxy = new Endpoint { NodeName = serving, Type = WellKnown.EndpointTypeProxy, UnderNAT = nat.Length > 0, Port = 10262 };
            f.Cluster.Gateways.Add(new Gateway
            {
                Metadata = new() { Name = name },
                Spec = new GatewaySpec
                {
                    ExposeType = nat.Length > 0 ? null : "PublicIP",
                    TunnelConfig = new TunnelConfiguration { Replicas = 1 },
                    ProxyConfig = new ProxyConfiguration { Replicas = 1 },
                    Endpoints = [new Endpoint { NodeName = serving, Type = WellKnown.EndpointTypeTunnel, UnderNAT = tunnel.UnderNAT, PublicIP = ip, Port = 4500 }, proxy],
                },
                Status = new GatewayStatus
                {
                    ActiveEndpoints = [tunnel, proxy],
                    Nodes = [.. nodes.Select(n => new NodeInfo { NodeName = n.Node, PrivateIP = n.Ip, Subnets = [n.Cidr] })],
                },
            });
            foreach (var (node, nodeIp, cidr) in nodes)
            {
                f.Node(node, name, nodeIp, cidr);
                f.Cluster.Lease(node, report: ClusterFixture.Report(node == serving ? new DataPlaneClaim { Serving = true, Epoch = 1 } : null, (name, serving)));
                f.Pod("default", "p-" + node, node, cidr[..cidr.LastIndexOf('.')] + ".2");
            }
        }

        return f;
    }

    /// <summary>A distinct, valid WireGuard public key (32 bytes, base64) per gateway.</summary>
    private static string Key(int n) => Convert.ToBase64String(Enumerable.Repeat((byte)n, 32).ToArray());

    public TraceFixture Node(string name, string? gateway, string ip, string podCidr, bool ready = true)
    {
        Cluster.Node(name, gateway, ip, ready);
        Cluster.Nodes.Single(n => n.Metadata.Name == name).Spec = new V1NodeSpec { PodCIDR = podCidr, PodCIDRs = [podCidr] };
        return this;
    }

    public TraceFixture Pod(string ns, string name, string node, string ip, string phase = "Running")
    {
        Pods.Add(new V1Pod
        {
            Metadata = new() { Name = name, NamespaceProperty = ns },
            Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "c", Image = "pause" }] },
            Status = new V1PodStatus { Phase = phase, PodIP = ip, PodIPs = [new V1PodIP { Ip = ip }] },
        });
        return this;
    }

    public Gateway Gateway(string name) => Cluster.GatewayNamed(name);

    /// <summary>
    /// Makes a node a hot standby tunnel endpoint of its domain: listed in status.activeEndpoints after the serving
    /// one (same NAT, its own public address and key), its agent claiming standby and naming the serving endpoint.
    /// </summary>
    public TraceFixture Standby(string gateway, string node, string publicIp)
    {
        var active = Gateway(gateway).Status.ActiveEndpoints!;
        var serving = active.First(e => e.Type == WellKnown.EndpointTypeTunnel);
        active.Insert(active.IndexOf(serving) + 1, new Endpoint
        {
            NodeName = node, Type = WellKnown.EndpointTypeTunnel, UnderNAT = serving.UnderNAT, PublicIP = publicIp, Port = serving.Port,
            Config = new Dictionary<string, string> { ["publicKey"] = Key(100 + active.Count), [WellKnown.EnableL3TunnelKey] = "true" },
        });
        Gateway(gateway).Spec.TunnelConfig!.Replicas = 2;
        Cluster.Lease(node, report: ClusterFixture.Report(new DataPlaneClaim { Serving = false, Epoch = 1 }, (gateway, serving.NodeName)));
        return this;
    }

    /// <summary>Publishes a connections report on the node's agent Lease (keeping its data-plane report).</summary>
    public TraceFixture Connections(string node, ConnectionReport report)
    {
        var lease = Cluster.Leases.Single(l => l.Metadata.Name == "raven-agent-" + node);
        lease.Metadata.Annotations ??= new Dictionary<string, string>();
        lease.Metadata.Annotations[ConnectionReport.Annotation] = report.Serialize();
        return this;
    }

    public TraceSnapshot Snapshot() => new(Cluster.Snapshot(), Pods, AgentConfig);

    public TraceReport Trace(string source, string destination) => TraceBuilder.Build(Snapshot(), source, destination);
}
