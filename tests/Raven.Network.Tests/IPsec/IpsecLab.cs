using System.Net;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel.IPsec;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.IPsec;

/// <summary>
/// IPsec gateways in namespaces around an "internet" router: "cloud" public at 203.0.113.10, "edge1" behind a NAT
/// router (MASQUERADE, NEW inbound dropped on its WAN), optionally "edge2" public at 192.0.2.10 and "edge3" behind a
/// second NAT. Every gateway has a pod namespace (10.201.N.2 behind 10.201.N.1) and Raven's rule "from all lookup
/// 9028" (what the policy-routing driver installs). Only TEST-NET addresses are public; nothing touches the root
/// namespace. Each gateway gets an <see cref="IpsecTunnel"/> whose charon lives under /tmp/rvt-ips.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class IpsecLab : IAsyncDisposable
{
    public const string Area = "ips";
    public const string Psk = "rvt-ips-test-psk-not-secret";
    public const string StateRoot = "/tmp/rvt-ips";
    private readonly List<TestNamespace> namespaces = [];
    private readonly string stateDirectory;
    private readonly string area;

    private IpsecLab(string stateDirectory, string area)
    {
        this.stateDirectory = stateDirectory;
        this.area = area;
    }

    public Dictionary<string, IpsecGateway> Gateways { get; } = new(StringComparer.Ordinal);

    public IpsecGateway this[string name] => Gateways[name];

    /// <summary>The "internet" router every WAN hangs off.</summary>
    public TestNamespace Internet { get; private set; } = null!;

    /// <param name="area">The namespace area (<c>rvt-AREA-*</c>); other suites reusing the lab pass their own.</param>
    public static async Task<IpsecLab> CreateAsync(bool withPublicEdge = false, bool withSecondNatedEdge = false, string area = Area)
    {
        Root.Require();
        await StopLeftoverCharonsAsync();
        var lab = new IpsecLab(Directory.CreateDirectory(Path.Combine(StateRoot, Guid.NewGuid().ToString("N")[..8])).FullName, area);
        try
        {
            lab.Build(withPublicEdge, withSecondNatedEdge);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new tunnel for the gateway, as a restarted agent would create it (same state directory).</summary>
    public static IpsecTunnel NewTunnel(IpsecGateway gateway, TimeSpan? deadPeerTimeout = null) => new(new IpsecTunnelOptions
    {
        Charon = new CharonOptions
        {
            StateDirectory = gateway.StateDirectory,
            NetworkNamespace = gateway.Namespace.Name,
            DeadPeerTimeout = deadPeerTimeout ?? TimeSpan.FromSeconds(30),
        },
        PresharedKey = PresharedKey.From(Psk),
        RouteTable = KernelNames.WireGuardRouteTable,
    });

    public async ValueTask DisposeAsync()
    {
        foreach (var gateway in Gateways.Values)
        {
            try
            {
                await gateway.Tunnel.CleanupAsync(CancellationToken.None);
                await gateway.Tunnel.DisposeAsync();
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"cleaning up {gateway.Name}: {ex.Message}");
            }
        }

        await StopCharonsUnderAsync(stateDirectory);
        foreach (var ns in namespaces)
        {
            ns.Dispose();
        }

        Directory.Delete(stateDirectory, recursive: true);
    }

    /// <summary>Charons and state a crashed earlier run left behind; charons are found by recorded PID and start time only.</summary>
    private static async Task StopLeftoverCharonsAsync()
    {
        if (!Directory.Exists(StateRoot))
        {
            return;
        }

        foreach (var run in Directory.GetDirectories(StateRoot))
        {
            await StopCharonsUnderAsync(run);
            Directory.Delete(run, recursive: true);
        }
    }

    private static async Task StopCharonsUnderAsync(string run)
    {
        foreach (var state in Directory.GetDirectories(run).Where(d => File.Exists(Path.Combine(d, "charon.pid"))))
        {
            await using var leftover = new CharonSupervisor(new CharonOptions { StateDirectory = state }, libipsec: true, _ => Task.CompletedTask);
            await leftover.StopAsync();
        }
    }

    private TestNamespace Ns()
    {
        var ns = TestNamespace.Create(area);
        namespaces.Add(ns);
        return ns;
    }

    private void Build(bool withPublicEdge, bool withSecondNatedEdge)
    {
        var inet = Ns();
        Internet = inet;
        inet.EnableForwarding();
        var cloud = AddGateway("cloud", 0, "203.0.113.10");
        TestNamespace.Link(inet, "wc", "203.0.113.1/24", cloud.Namespace, "wan", "203.0.113.10/24");
        cloud.Namespace.Ip("route", "add", "default", "via", "203.0.113.1");

        AddNatedGateway(inet, "edge1", 1, "198.51.100.1/28", "198.51.100.2/28", "198.51.100.1");
        if (withPublicEdge)
        {
            var edge2 = AddGateway("edge2", 2, "192.0.2.10");
            TestNamespace.Link(inet, "we2", "192.0.2.1/24", edge2.Namespace, "wan", "192.0.2.10/24");
            edge2.Namespace.Ip("route", "add", "default", "via", "192.0.2.1");
        }

        if (withSecondNatedEdge)
        {
            AddNatedGateway(inet, "edge3", 3, "198.51.100.17/28", "198.51.100.18/28", "198.51.100.17");
        }
    }

    private void AddNatedGateway(TestNamespace inet, string name, int index, string inetWan, string routerWan, string routerGateway)
    {
        var router = Ns();
        router.EnableForwarding();
        var lan = $"172.16.{index}";
        var gateway = AddGateway(name, index, $"{lan}.10");
        TestNamespace.Link(router, "lan0", $"{lan}.1/24", gateway.Namespace, "lan0", $"{lan}.10/24");
        gateway.Namespace.Ip("route", "add", "default", "via", $"{lan}.1");
        TestNamespace.Link(inet, $"w{index}", inetWan, router, "wan", routerWan);
        router.Ip("route", "add", "default", "via", routerGateway);
        router.Exec("iptables", "-w", "-t", "nat", "-A", "POSTROUTING", "-o", "wan", "-j", "MASQUERADE");
        foreach (var chain in new[] { "INPUT", "FORWARD" })
        {
            router.Exec("iptables", "-w", "-A", chain, "-i", "wan", "-m", "conntrack", "--ctstate", "NEW", "-j", "DROP");
        }

        gateway.NatRouter = router;
    }

    private IpsecGateway AddGateway(string name, int index, string ikeAddress)
    {
        var ns = Ns();
        var pod = Ns();
        ns.EnableForwarding();
        TestNamespace.Link(ns, "pod0", $"10.201.{index}.1/24", pod, "eth0", $"10.201.{index}.2/24");
        pod.Ip("route", "add", "default", "via", $"10.201.{index}.1");

        // What the policy-routing driver installs on a tunnel gateway.
        ns.Ip("rule", "add", "from", "all", "lookup", $"{KernelNames.WireGuardRouteTable}", "priority", $"{KernelNames.WireGuardRulePriority}");
        var gateway = new IpsecGateway(name, ns, pod, IPAddress.Parse(ikeAddress), IPNetwork.Parse($"10.201.{index}.0/24"), Path.Combine(stateDirectory, name));
        gateway.Tunnel = NewTunnel(gateway);
        Gateways.Add(name, gateway);
        return gateway;
    }
}

/// <summary>One IPsec gateway of the lab: its namespace, its pod, its tunnel.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class IpsecGateway(string name, TestNamespace ns, TestNamespace pod, IPAddress ikeAddress, IPNetwork subnet, string stateDirectory)
{
    public string Name { get; } = name;

    public TestNamespace Namespace { get; } = ns;

    public TestNamespace Pod { get; } = pod;

    /// <summary>The address charon uses locally (behind the NAT for a NATed edge).</summary>
    public IPAddress IkeAddress { get; } = ikeAddress;

    public IPNetwork Subnet { get; } = subnet;

    /// <summary>The gateway's own address in its pod subnet (x.x.x.1).</summary>
    public string GatewayPodIp => Offset(1);

    public string PodIp => Offset(2);

    public string StateDirectory { get; } = stateDirectory;

    public TestNamespace? NatRouter { get; set; }

    public IpsecTunnel Tunnel { get; set; } = null!;

    public string Id => $"@{Name}";

    private string Offset(int host)
    {
        var bytes = Subnet.BaseAddress.GetAddressBytes();
        bytes[3] = (byte)host;
        return new IPAddress(bytes).ToString();
    }
}
