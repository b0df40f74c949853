using System.Diagnostics;
using Raven.Agent.Engine;
using Raven.Agent.Linux.Processes;
using Raven.Agent.Tunnel.WireGuard;
using Raven.Api;
using Raven.Api.V1Beta1;

namespace Raven.TestSupport.Network;

/// <summary>
/// Three domains in namespaces: "cloud" (exposed, its gateway on the "internet" with 203.0.113.10), "edge-a" and
/// "edge-b" behind NAT routers (MASQUERADE, NEW inbound dropped on the WAN), and optionally "edge-d" whose single
/// node sits on the internet without NAT (192.0.2.10), and optionally "edge-x", a NATed domain whose LAN and node
/// IPs are edge-b's (172.16.2.10/.11, pods 10.248.x), optionally "edge-s" behind a symmetric NAT router
/// (<c>MASQUERADE --random-fully</c>: a new random public port per flow; 198.51.100.50, pods 10.249.x), and optionally
/// "a-m", a plain member of edge-a (172.16.1.12, pods 10.245.2.x) that is no tunnel endpoint. Every node has a pod
/// namespace. Only TEST-NET addresses are
/// public; nothing is connected to the root namespace. Under the VXLAN cable (backend "vxlan", which has no NAT
/// traversal) each edge router forwards UDP <see cref="FirstCablePort"/>+i to its i-th node's cable, the nodes
/// publish it as publicPort, and raven-agent-config allows the untrusted underlay.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AgentLab : IAsyncDisposable
{
    public const string Area = "ag";

    /// <summary>$VPN_CONNECTION_PSK of every node when the backend needs one.</summary>
    public const string PresharedKey = "rvt-agent-lab-psk";
    private static readonly string[] Interfaces = ["rvtag-cgw", "rvtag-cw", "rvtag-agw", "rvtag-aw", "rvtag-bgw", "rvtag-bw", "rvtag-dgw", "rvtag-xgw", "rvtag-xw", "rvtag-sgw", "rvtag-sw", "rvtag-am"];
    private readonly List<TestNamespace> _namespaces = [];
    private readonly Dictionary<string, TestNamespace> _routers = new(StringComparer.Ordinal);
    private string _area = Area;
    private readonly Dictionary<string, int> _cablePorts = new(StringComparer.Ordinal);
    private bool _cable;
    private readonly string _stateRoot = Directory.CreateTempSubdirectory("rvt-ag-").FullName;

    private AgentLab()
    {
    }

    public InMemoryAgentInputs Inputs { get; } = new();

    public Dictionary<string, LabNode> Nodes { get; } = new(StringComparer.Ordinal);

    public LabNode this[string name] => Nodes[name];

    /// <summary>UDP port an edge router forwards to a NATed gateway node's VXLAN cable (vxlan backend): 44741 + its index in the domain.</summary>
    public const int FirstCablePort = 44741;

    /// <summary>
    /// raven-agent-config for every engine: <paramref name="data"/>, plus under the VXLAN cable
    /// <c>vxlan-allow-untrusted-underlay</c> (the edges are NATed and talk across "public" addresses: the operator
    /// vouches for the unencrypted path, exactly what the key is for).
    /// </summary>
    public void SetAgentConfig(IReadOnlyDictionary<string, string> data)
    {
        var config = new Dictionary<string, string>(data, StringComparer.Ordinal);
        if (_cable)
        {
            config[AgentOptionsParser.VxlanAllowUntrustedUnderlay] = "true";

        }

        Inputs.SetAgentConfig(config);
    }

    /// <summary>The NAT router of an edge domain (a test cuts a node's WAN there while its LAN keeps working).</summary>
    public TestNamespace RouterOf(string domain) => _routers[domain];

    /// <param name="area">Namespace prefix area: rvt-&lt;area&gt;-*; the benchmark passes its own.</param>
    /// <param name="withCollidingEdge">Adds "edge-x", whose node IPs and LAN are edge-b's.</param>
    /// <param name="backend">Every node's --vpn-driver; a backend that needs $VPN_CONNECTION_PSK gets <see cref="PresharedKey"/>.</param>
    /// <param name="withSymmetricEdge">Adds "edge-s" behind a symmetric NAT.</param>
    /// <param name="withEdgeAMember">Adds "a-m", a member of edge-a that is no tunnel endpoint (its router port is "pm").</param>
    public static async Task<AgentLab> CreateAsync(bool withDirectEdge = false, string area = Area, bool withCollidingEdge = false, string backend = "wireguard",
        bool withSymmetricEdge = false, bool withEdgeAMember = false)
    {
        Root.Require();
        KillLeftoverDaemons();
        var registration = Raven.Agent.Tunnel.TunnelBackends.Get(backend);
        var lab = new AgentLab { _area = area, _cable = registration.Name == Raven.Agent.Tunnel.Vxlan.VxlanCableProfile.BackendName };
        try
        {
            lab.Build(withDirectEdge, withCollidingEdge, withSymmetricEdge, withEdgeAMember);
            foreach (var node in lab.Nodes.Values)
            {
                node.Backend = registration.Name;
                node.PresharedKeySecret = registration.RequiresPresharedKey ? PresharedKey : null;
            }

            lab.Inputs.SetGateways(lab.Gateways(withDirectEdge, withCollidingEdge, withSymmetricEdge));
            lab.SetAgentConfig(new Dictionary<string, string>());
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    public async Task StartAllAsync(bool run = true)
    {
        foreach (var node in Nodes.Values)
        {
            await node.StartAsync(Inputs, run);
        }
    }

    /// <summary>Polls a ping until one reply arrives or the deadline passes; returns the time it took.</summary>
    public static async Task<TimeSpan?> WaitForPingAsync(TestNamespace from, string target, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            if (from.TryExec("ping", "-n", "-c", "1", "-W", "1", target).ExitCode == 0)
            {
                return clock.Elapsed;
            }

            await Task.Delay(100);
        }

        return null;
    }

    public static Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan deadline) =>
        Poll.TryUntilAsync(condition, deadline, TimeSpan.FromMilliseconds(100));

    /// <summary>Everything the engines last reported, for failure messages.</summary>
    public string Describe() => string.Join("\n", Nodes.Values.Select(n =>
        $"{n.Name}: {n.Engine?.LastReport?.Plan.Role} errors=[{string.Join("; ", n.Engine?.LastReport?.Errors ?? [])}] " +
        $"diagnostics=[{string.Join("; ", n.Engine?.LastReport?.Plan.Diagnostics.Select(d => d.ToString()) ?? [])}]"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes.Values)
        {
            try
            {
                await node.StopAsync();
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"stopping {node.Name}: {ex.Message}");
            }
        }

        KillLeftoverDaemons();
        foreach (var ns in _namespaces)
        {
            ns.Dispose();
        }

        Directory.Delete(_stateRoot, recursive: true);
    }

    private static void KillLeftoverDaemons()
    {
        foreach (var name in Interfaces)
        {
            if (DaemonIdentity.FindRunningPid(new WireGuardGoOptions { InterfaceName = name }) is { } pid)
            {
                ProcessSignals.Send(pid, ProcessSignals.SigKill);
            }
        }
    }

    private TestNamespace Ns()
    {
        var ns = TestNamespace.Create(_area);
        _namespaces.Add(ns);
        return ns;
    }

    private void Build(bool withDirectEdge, bool withCollidingEdge, bool withSymmetricEdge, bool withEdgeAMember)
    {
        var inet = Ns();
        inet.EnableForwarding();

        var cloudGw = AddNode("cloud-gw", "cloud", "172.16.0.10", "10.244.0", "rvtag-cgw");
        var cloudW = AddNode("cloud-w", "cloud", "172.16.0.11", "10.244.1", "rvtag-cw");
        TestNamespace.Link(inet, "wc", "203.0.113.1/24", cloudGw.Namespace, "wan", "203.0.113.10/24");
        cloudGw.Namespace.Ip("route", "add", "default", "via", "203.0.113.1");
        TestNamespace.Link(cloudGw.Namespace, "lan0", "172.16.0.10/24", cloudW.Namespace, "lan0", "172.16.0.11/24");
        cloudW.Namespace.Ip("route", "add", "default", "via", "172.16.0.10");

        BuildNatedDomain(inet, "edge-a", "a", "172.16.1", "10.245", "198.51.100.1/28", "198.51.100.2/28", "198.51.100.1", withMember: withEdgeAMember);
        BuildNatedDomain(inet, "edge-b", "b", "172.16.2", "10.246", "198.51.100.17/28", "198.51.100.18/28", "198.51.100.17");
        if (withCollidingEdge)
        {
            BuildNatedDomain(inet, "edge-x", "x", "172.16.2", "10.248", "198.51.100.33/28", "198.51.100.34/28", "198.51.100.33");
        }

        if (withSymmetricEdge)
        {
            BuildNatedDomain(inet, "edge-s", "s", "172.16.3", "10.249", "198.51.100.49/28", "198.51.100.50/28", "198.51.100.49", symmetric: true);
        }

        if (withDirectEdge)
        {
            var dGw = AddNode("d-gw", "edge-d", "192.0.2.10", "10.247.0", "rvtag-dgw");
            TestNamespace.Link(inet, "wd", "192.0.2.1/24", dGw.Namespace, "wan", "192.0.2.10/24");
            dGw.Namespace.Ip("route", "add", "default", "via", "192.0.2.1");
        }
    }

    private void BuildNatedDomain(TestNamespace inet, string domain, string letter, string lan, string pods, string inetWan, string routerWan, string routerGateway,
        bool symmetric = false, bool withMember = false)
    {
        var router = Ns();
        _routers[domain] = router;
        router.EnableForwarding();
        var gw = AddNode($"{letter}-gw", domain, $"{lan}.10", $"{pods}.0", $"rvtag-{letter}gw");
        var worker = AddNode($"{letter}-w", domain, $"{lan}.11", $"{pods}.1", $"rvtag-{letter}w");
        router.Ip("link", "add", "br0", "type", "bridge");
        router.Ip("addr", "add", $"{lan}.1/24", "dev", "br0");
        router.Ip("link", "set", "br0", "up");
        var lanNodes = new List<(LabNode Node, string Port)> { (gw, "pg"), (worker, "pw") };
        if (withMember)
        {
            lanNodes.Add((AddNode($"{letter}-m", domain, $"{lan}.12", $"{pods}.2", $"rvtag-{letter}m"), "pm"));
        }

        foreach (var (node, port) in lanNodes)
        {
            TestNamespace.CreateVethPair(router, port, node.Namespace, "lan0");
            router.Ip("link", "set", port, "master", "br0");
            router.Ip("link", "set", port, "up");
            node.Namespace.Ip("addr", "add", $"{node.PrivateIp}/24", "dev", "lan0");
            node.Namespace.Ip("link", "set", "lan0", "up");
            node.Namespace.Ip("route", "add", "default", "via", $"{lan}.1");
        }

        TestNamespace.Link(inet, $"w{letter}", inetWan, router, "wan", routerWan);
        router.Ip("route", "add", "default", "via", routerGateway);
        // Port-preserving masquerade keeps one public port per local port (a cone); --random-fully draws one per flow.
        router.Exec("iptables", ["-w", "-t", "nat", "-A", "POSTROUTING", "-o", "wan", "-j", "MASQUERADE", .. (symmetric ? new[] { "--random-fully" } : [])]);
        foreach (var chain in new[] { "INPUT", "FORWARD" })
        {
            router.Exec("iptables", "-w", "-A", chain, "-i", "wan", "-m", "conntrack", "--ctstate", "NEW", "-j", "DROP");
        }

        if (_cable)
        {
            // VXLAN has no NAT traversal: a port forward per gateway node, published as its publicPort (Tunnel below).
            foreach (var (node, index) in new[] { gw, worker }.Select((n, i) => (n, i)))
            {
                var port = (FirstCablePort + index).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var cable = Raven.Agent.Tunnel.Vxlan.VxlanCableProfile.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                router.Exec("iptables", "-w", "-t", "nat", "-A", "PREROUTING", "-i", "wan", "-p", "udp", "--dport", port, "-j", "DNAT", "--to-destination", $"{node.PrivateIp}:{cable}");
                router.Exec("iptables", "-w", "-I", "FORWARD", "1", "-i", "wan", "-p", "udp", "-d", node.PrivateIp, "--dport", cable, "-m", "conntrack", "--ctstate", "DNAT", "-j", "ACCEPT");
                _cablePorts[node.Name] = FirstCablePort + index;
            }
        }
    }

    private LabNode AddNode(string name, string domain, string privateIp, string podPrefix, string wireGuardInterface)
    {
        var ns = Ns();
        var pod = Ns();
        TestNamespace.Link(ns, "pod0", $"{podPrefix}.1/24", pod, "eth0", $"{podPrefix}.2/24");
        pod.Ip("route", "add", "default", "via", $"{podPrefix}.1");
        var state = Path.Combine(_stateRoot, name);
        var node = new LabNode(name, domain, ns, pod, privateIp, $"{podPrefix}.0/24", $"{podPrefix}.2", wireGuardInterface, state);
        Nodes.Add(name, node);
        return node;
    }

    private Gateway[] Gateways(bool withDirectEdge, bool withCollidingEdge, bool withSymmetricEdge)
    {
        var list = new List<Gateway>
        {
            Domain("cloud", WellKnown.ExposeTypePublicIP, [Tunnel("cloud-gw", "203.0.113.10", underNat: false)]),
            Domain("edge-a", null, [Tunnel("a-gw", "198.51.100.2", underNat: true), Tunnel("a-w", "198.51.100.2", underNat: true)]),
            Domain("edge-b", null, [Tunnel("b-gw", "198.51.100.18", underNat: true)]),
        };
        if (withDirectEdge)
        {
            list.Add(Domain("edge-d", null, [Tunnel("d-gw", "192.0.2.10", underNat: false)]));
        }

        if (withSymmetricEdge)
        {
            list.Add(Domain("edge-s", null, [Tunnel("s-gw", "198.51.100.50", underNat: true)]));
        }

        if (withCollidingEdge)
        {
            list.Add(Domain("edge-x", null, [Tunnel("x-gw", "198.51.100.34", underNat: true)]));
        }

        return [.. list];
    }

    private Gateway Domain(string name, string? exposeType, List<Endpoint> endpoints)
    {
        var active = endpoints[0].Clone();
        active.Config = new() { [WellKnown.EnableL3TunnelKey] = "true" };
        return new Gateway
        {
            Metadata = new() { Name = name },
            Spec = new() { ExposeType = exposeType, Endpoints = endpoints },
            Status = new()
            {
                Nodes = Nodes.Values.Where(n => n.Domain == name)
                    .Select(n => new NodeInfo { NodeName = n.Name, PrivateIP = n.PrivateIp, Subnets = [n.Subnet] }).ToList(),
                ActiveEndpoints = [active],
            },
        };
    }

    private Endpoint Tunnel(string node, string publicIp, bool underNat) => new()
    {
        NodeName = node,
        Type = WellKnown.EndpointTypeTunnel,
        Port = WellKnown.TunnelServerExposedPort,
        PublicIP = publicIp,
        UnderNAT = underNat,
        PublicPort = underNat ? _cablePorts.GetValueOrDefault(node) : 0,
    };

    /// <summary>
    /// What the controller does on election or failover: the active endpoints, in priority order (more than one:
    /// tunnel Replicas &gt; 1, hot standbys), are copies of those nodes' spec endpoints.
    /// </summary>
    public void Activate(string domain, params string[] nodeNames) => Inputs.Mutate(domain, g =>
    {
        g.Status.ActiveEndpoints = [.. nodeNames.Select(nodeName =>
        {
            var active = GatewayEndpoints.TunnelEndpoint(g.Spec.Endpoints, nodeName)!.Clone();
            active.Config ??= [];
            active.Config[WellKnown.EnableL3TunnelKey] = "true";
            return active;
        })];
    });
}
