using Raven.Agent.Engine;
using Raven.Agent.Tunnel.Vxlan;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Vxlan;

/// <summary>
/// Four single-gateway domains whose gateways share one private underlay (10.77.0.0/24 on a bridge, no NAT):
/// "cloud" (exposed, with a member node cloud-w behind its gateway on 172.16.0.0/24), "edge-a", "edge-b", and
/// "edge-n", which is on the same underlay but whose Gateway says it is under NAT, so the cable refuses it. Every
/// node has a pod namespace (10.250.N.2). Nothing is connected to the root namespace. The nodes are the agent
/// lab's <see cref="LabNode"/>s on the vxlan backend; only the topology (a trusted shared underlay) is this lab's.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class VxlanCableLab : IAsyncDisposable
{
    public const string Area = "vc";
    private readonly List<TestNamespace> _namespaces = [];
    private readonly string _stateRoot = Directory.CreateTempSubdirectory("rvt-vc-").FullName;

    public InMemoryAgentInputs Inputs { get; } = new();

    public Dictionary<string, LabNode> Nodes { get; } = new(StringComparer.Ordinal);

    public LabNode this[string name] => Nodes[name];

    public static async Task<VxlanCableLab> CreateAsync()
    {
        Root.Require();
        var lab = new VxlanCableLab();
        try
        {
            lab.Build();
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    public async Task StartAllAsync()
    {
        foreach (var node in Nodes.Values)
        {
            await node.StartAsync(Inputs, run: true);
        }
    }

    /// <summary>Every engine's last report and the gateways' cable state, for failure messages.</summary>
    public string Describe() => string.Join("\n", Nodes.Values.Select(n =>
        $"{n.Name}: {n.Engine?.LastReport?.Plan.Role} errors=[{string.Join("; ", n.Engine?.LastReport?.Errors ?? [])}] " +
        $"diagnostics=[{string.Join("; ", n.Engine?.LastReport?.Plan.Diagnostics.Select(d => d.ToString()) ?? [])}]\n" + Kernel(n)));

    private static string Kernel(LabNode node) => string.Join("\n",
        new[] { "-s -d link show", "neigh show", "route show table 9028", "rule" }.Select(c => node.Namespace.TryExec("ip", [.. c.Split(' ')]).StandardOutput)
            .Append(node.Namespace.TryExec("bridge", "fdb", "show", "dev", VxlanCableProfile.DeviceName).StandardOutput));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes.Values)
        {
            try
            {
                await node.DetachAsync();
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"stopping {node.Name}: {ex.Message}");
            }
        }

        foreach (var ns in _namespaces)
        {
            ns.Dispose();
        }

        Directory.Delete(_stateRoot, recursive: true);
    }

    private TestNamespace Ns()
    {
        var ns = TestNamespace.Create(Area);
        _namespaces.Add(ns);
        return ns;
    }

    private void Build()
    {
        var underlay = Ns();
        underlay.Ip("link", "add", "br0", "type", "bridge");
        underlay.Ip("link", "set", "br0", "up");

        var cloudGw = AddGateway(underlay, "cloud-gw", "cloud", "10.77.0.10", "172.16.0.10", "10.250.0", "c");
        var cloudW = AddNode("cloud-w", "cloud", "172.16.0.11", "10.250.9");
        TestNamespace.Link(cloudGw.Namespace, "lan0", "172.16.0.10/24", cloudW.Namespace, "lan0", "172.16.0.11/24");
        cloudW.Namespace.Ip("route", "add", "default", "via", "172.16.0.10");

        // What the CNI gives a real gateway: a main-table route to its members' pods. raven0's loose rp_filter needs
        // one for the members' packets that the gateway forwards into the cable (the NAT lab has a default route).
        cloudGw.Namespace.Ip("route", "add", "10.250.9.0/24", "via", "172.16.0.11");
        AddGateway(underlay, "a-gw", "edge-a", "10.77.0.20", null, "10.250.1", "a");
        AddGateway(underlay, "b-gw", "edge-b", "10.77.0.30", null, "10.250.2", "b");
        AddGateway(underlay, "n-gw", "edge-n", "10.77.0.40", null, "10.250.3", "n");

        Inputs.SetGateways(
            Domain("cloud", exposed: true, Tunnel("cloud-gw", "10.77.0.10", underNat: false)),
            Domain("edge-a", exposed: false, Tunnel("a-gw", "10.77.0.20", underNat: false)),
            Domain("edge-b", exposed: false, Tunnel("b-gw", "10.77.0.30", underNat: false)),
            Domain("edge-n", exposed: false, Tunnel("n-gw", "10.77.0.40", underNat: true)));
    }

    /// <summary>A gateway node on the underlay; its private IP is its LAN address when it has members, else the underlay one.</summary>
    private LabNode AddGateway(TestNamespace underlay, string name, string domain, string underlayIp, string? lanIp, string podPrefix, string letter)
    {
        var node = AddNode(name, domain, lanIp ?? underlayIp, podPrefix);
        TestNamespace.CreateVethPair(underlay, $"p{letter}", node.Namespace, "wan");
        underlay.Ip("link", "set", $"p{letter}", "master", "br0");
        underlay.Ip("link", "set", $"p{letter}", "up");
        node.Namespace.Ip("addr", "add", $"{underlayIp}/24", "dev", "wan");
        node.Namespace.Ip("link", "set", "wan", "up");
        return node;
    }

    private LabNode AddNode(string name, string domain, string privateIp, string podPrefix)
    {
        var ns = Ns();
        var pod = Ns();
        TestNamespace.Link(ns, "pod0", $"{podPrefix}.1/24", pod, "eth0", $"{podPrefix}.2/24");
        pod.Ip("route", "add", "default", "via", $"{podPrefix}.1");
        var node = new LabNode(name, domain, ns, pod, privateIp, $"{podPrefix}.0/24", $"{podPrefix}.2", VxlanCableProfile.DeviceName, Path.Combine(_stateRoot, name))
        {
            Backend = VxlanCableProfile.BackendName,
            SyncPeriod = "1h",
        };
        Nodes.Add(name, node);
        return node;
    }

    private Gateway Domain(string name, bool exposed, Endpoint tunnel)
    {
        var active = tunnel.Clone();
        active.Config = new() { [WellKnown.EnableL3TunnelKey] = "true" };
        return new Gateway
        {
            Metadata = new() { Name = name },
            Spec = new() { ExposeType = exposed ? WellKnown.ExposeTypePublicIP : null, Endpoints = [tunnel] },
            Status = new()
            {
                Nodes = Nodes.Values.Where(n => n.Domain == name)
                    .Select(n => new NodeInfo { NodeName = n.Name, PrivateIP = n.PrivateIp, Subnets = [n.Subnet] }).ToList(),
                ActiveEndpoints = [active],
            },
        };
    }

    /// <summary>Under NAT with a known public port, so the endpoint is dialable and only the cable's trust rules refuse it.</summary>
    private static Endpoint Tunnel(string node, string publicIp, bool underNat) => new()
    {
        NodeName = node,
        Type = WellKnown.EndpointTypeTunnel,
        Port = WellKnown.TunnelServerExposedPort,
        PublicIP = publicIp,
        UnderNAT = underNat,
        PublicPort = underNat ? VxlanCableProfile.Port : 0,
    };
}
