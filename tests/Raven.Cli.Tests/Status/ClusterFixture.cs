using k8s.Models;
using Raven.Api;
using Raven.Api.DataPlane;
using Raven.Api.V1Beta1;
using Raven.Cli.Status;
using Raven.Controller.Runtime;

namespace Raven.Cli.Tests.Status;

/// <summary>Cluster situations for the pure status tests, written as an operator would describe them.</summary>
internal sealed class ClusterFixture
{
    public static readonly DateTimeOffset Now = new(2026, 12, 3, 1, 0, 0, TimeSpan.Zero);

    public List<Gateway> Gateways { get; } = [];
    public List<V1Node> Nodes { get; } = [];
    public List<V1Lease> Leases { get; } = [];
    public Dictionary<string, string>? RavenCfg { get; set; } = new() { [WellKnown.EnableL3TunnelKey] = "true", [WellKnown.EnableL7ProxyKey] = "true" };

    /// <summary>
    /// Two domains, healthy: gw-cloud exposed (cloud-1 tunnel+proxy), gw-hangzhou under NAT with hz-1 serving,
    /// hz-2 hot standby, hz-3 a candidate not elected, hz-1 also its proxy endpoint; every agent alive and reporting.
    /// </summary>
    public static ClusterFixture TwoDomains()
    {
        var f = new ClusterFixture();
        f.Gateway("gw-cloud", "PublicIP", tunnel: 1, proxy: 1, spec: [Tunnel("cloud-1", nat: false, ip: "203.0.113.10"), Proxy("cloud-1", nat: false)], active: ["cloud-1/tunnel", "cloud-1/proxy"]);
        f.Gateway("gw-hangzhou", null, tunnel: 2, proxy: 1, spec: [Tunnel("hz-1"), Tunnel("hz-2"), Tunnel("hz-3"), Proxy("hz-1")], active: ["hz-1/tunnel", "hz-2/tunnel", "hz-1/proxy"]);
        f.Node("cloud-1", "gw-cloud", "10.0.0.1").Node("hz-1", "gw-hangzhou", "172.16.2.1").Node("hz-2", "gw-hangzhou", "172.16.2.2")
            .Node("hz-3", "gw-hangzhou", "172.16.2.3").Node("hz-4", "gw-hangzhou", "172.16.2.4");
        f.Lease("cloud-1", report: Report(new DataPlaneClaim { Serving = true, Epoch = 1 }, ("gw-cloud", "cloud-1")));
        f.Lease("hz-1", report: Report(new DataPlaneClaim { Serving = true, Epoch = 1 }, ("gw-hangzhou", "hz-1")));
        f.Lease("hz-2", report: Report(new DataPlaneClaim { Serving = false, Epoch = 1 }, ("gw-hangzhou", "hz-1")));
        f.Lease("hz-3", report: Report(null, ("gw-hangzhou", "hz-1")));
        f.Lease("hz-4", report: Report(null, ("gw-hangzhou", "hz-1")));
        f.Connections("cloud-1", Connected("gw-hangzhou", "hz-1", readyStandbys: ["hz-2"]));
        f.Connections("hz-1", Connected("gw-cloud", "cloud-1"));
        return f;
    }

    public ClusterSnapshot Snapshot() => new(Gateways, Nodes, Leases, RavenCfg, Now);

    public StatusReport Report() => StatusBuilder.Build(Snapshot());

    public static Endpoint Tunnel(string node, bool nat = true, string? ip = null) => new() { NodeName = node, Type = WellKnown.EndpointTypeTunnel, UnderNAT = nat, PublicIP = ip };

    public static Endpoint Proxy(string node, bool nat = true) => new() { NodeName = node, Type = WellKnown.EndpointTypeProxy, UnderNAT = nat };

    /// <param name="active">status.activeEndpoints in order, as "node/type".</param>
    public ClusterFixture Gateway(string name, string? expose, int tunnel, int proxy, Endpoint[] spec, string[] active)
    {
        Gateways.Add(new Gateway
        {
            Metadata = new() { Name = name },
            Spec = new GatewaySpec
            {
                ExposeType = expose,
                TunnelConfig = new TunnelConfiguration { Replicas = tunnel },
                ProxyConfig = new ProxyConfiguration { Replicas = proxy },
                Endpoints = [.. spec],
            },
            Status = new GatewayStatus
            {
                ActiveEndpoints = active.Length == 0 ? null : [.. active.Select(a => a.Split('/')).Select(p => new Endpoint { NodeName = p[0], Type = p[1] })],
            },
        });
        return this;
    }

    public Gateway GatewayNamed(string name) => Gateways.Single(g => g.Name == name);

    public ClusterFixture Node(string name, string? gateway, string ip, bool ready = true)
    {
        Nodes.RemoveAll(n => n.Metadata.Name == name);
        Nodes.Add(new V1Node
        {
            Metadata = new() { Name = name, Labels = gateway is null ? null : new Dictionary<string, string> { [WellKnown.GatewayLabel] = gateway } },
            Status = new V1NodeStatus
            {
                Addresses = ip.Length == 0 ? [] : [new V1NodeAddress { Type = "InternalIP", Address = ip }],
                Conditions = [new V1NodeCondition { Type = "Ready", Status = ready ? "True" : "False" }],
            },
        });
        return this;
    }

    /// <param name="renewedAgo">Seconds before <see cref="Now"/> of the last renewal.</param>
    public ClusterFixture Lease(string node, double renewedAgo = 2, int duration = 15, DataPlaneReport? report = null)
    {
        var name = NodeFactsReader.AgentLeasePrefix + node;
        Leases.RemoveAll(l => l.Metadata.Name == name);
        Leases.Add(new V1Lease
        {
            Metadata = new()
            {
                Name = name,
                NamespaceProperty = WellKnown.WorkingNamespace,
                Annotations = report is null ? null : new Dictionary<string, string> { [DataPlaneReport.Annotation] = report.Serialize() },
            },
            Spec = new V1LeaseSpec { HolderIdentity = node, LeaseDurationSeconds = duration, RenewTime = Now.AddSeconds(-renewedAgo).UtcDateTime },
        });
        return this;
    }

    /// <summary>Puts <paramref name="report"/> on the node's Lease (which must exist) as its connection report; null removes it.</summary>
    public ClusterFixture Connections(string node, ConnectionReport? report)
    {
        var lease = Leases.Single(l => l.Metadata.Name == NodeFactsReader.AgentLeasePrefix + node);
        lease.Metadata.Annotations ??= new Dictionary<string, string>();
        if (report is null)
        {
            lease.Metadata.Annotations.Remove(ConnectionReport.Annotation);
        }
        else
        {
            lease.Metadata.Annotations[ConnectionReport.Annotation] = report.Serialize();
        }

        return this;
    }

    /// <summary>A serving WireGuard endpoint's report of a direct, healthy path to <paramref name="domain"/> through <paramref name="via"/>.</summary>
    public static ConnectionReport Connected(string domain, string via, string state = "up", double handshakeAgo = 30, double sampledAgo = 5, string[]? readyStandbys = null,
        DateTimeOffset? at = null) => new()
    {
        SampledAt = (at ?? Now).AddSeconds(-sampledAgo),
        Backend = "wireguard",
        Role = "serving",
        Domains = [new DomainConnection
        {
            Domain = domain, Path = "direct", Via = via, Reason = "planned", ReadyStandbys = readyStandbys ?? [],
            Candidates = [new PathCostReport { Path = "direct", State = "up", RttMilliseconds = 1.5, LossRatio = 0, CostMilliseconds = 1.5 }],
        }],
        Connections = [new TunnelConnectionReport { Gateway = domain, Node = via, State = state, LastHandshake = (at ?? Now).AddSeconds(-handshakeAgo), RxBytes = 10, TxBytes = 20 }],
    };

    public ClusterFixture NoLease(string node)
    {
        Leases.RemoveAll(l => l.Metadata.Name == NodeFactsReader.AgentLeasePrefix + node);
        return this;
    }

    public static DataPlaneReport Report(DataPlaneClaim? claim, params (string Domain, string Via)[] serving) =>
        new() { Claim = claim, Serving = serving.ToDictionary(s => s.Domain, s => s.Via, StringComparer.Ordinal) };
}
