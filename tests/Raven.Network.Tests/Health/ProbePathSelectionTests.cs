using System.Net;
using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Probing;
using Raven.Agent.Health.Protocol;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Health;

/// <summary>
/// Two paths between prober and responder (a1–b1 and a2–b2) to the responder's service address on a bridge. The main
/// table uses path 1; fwmark 0x1 selects table 100 (path 2); SO_BINDTODEVICE a2 forces path 2 as well. Counting
/// rules on both ends show which interfaces the requests and the replies really crossed.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProbePathSelectionTests : IDisposable
{
    private const string Service = "198.51.100.100";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly TestNamespace _prober;
    private readonly TestNamespace _responder;

    public ProbePathSelectionTests()
    {
        var created = new List<TestNamespace>();
        try
        {
            _prober = ProbeLab.Add(created);
            _responder = ProbeLab.Add(created);
            TestNamespace.CreateVethPair(_prober, "a1", _responder, "b1");
            TestNamespace.CreateVethPair(_prober, "a2", _responder, "b2");
            ProbeLab.Configure(_prober, "a1", "192.0.2.1/30");
            ProbeLab.Configure(_responder, "b1", "192.0.2.2/30");
            ProbeLab.Configure(_prober, "a2", "203.0.113.1/30");
            ProbeLab.Configure(_responder, "b2", "203.0.113.2/30");
            _responder.Ip("link", "add", "svc0", "type", "bridge");
            ProbeLab.Configure(_responder, "svc0", Service + "/32");

            _prober.Ip("route", "add", Service, "via", "192.0.2.2", "dev", "a1");
            _prober.Ip("route", "add", Service, "via", "203.0.113.2", "dev", "a2", "metric", "200");
            _prober.Ip("route", "add", Service, "via", "203.0.113.2", "dev", "a2", "table", "100");
            _prober.Ip("rule", "add", "fwmark", "0x1", "lookup", "100", "priority", "100");
            // Replies to path 2 arrive on a2 although the main table reaches the service via a1: loose reverse path.
            _prober.Exec("sysctl", "-q", "-w", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.a1.rp_filter=0", "net.ipv4.conf.a2.rp_filter=0");

            foreach (var (ns, direction, port) in new[] { (_prober, "a", "--sport"), (_responder, "b", "--dport") })
            {
                foreach (var device in new[] { direction + "1", direction + "2" })
                {
                    ns.Exec("iptables", "-A", "INPUT", "-i", device, "-p", "udp", port, "4473", "-m", "comment", "--comment", device);
                }
            }
        }
        catch
        {
            created.ForEach(n => n.Dispose());
            throw;
        }
    }

    public void Dispose()
    {
        _responder.Dispose();
        _prober.Dispose();
    }

    public static TheoryData<string, uint?, string?, string> Paths() => new()
    {
        { "unmarked, unbound: the main table", null, null, "1" },
        { "fwmark 0x1: table 100", 0x1u, null, "2" },
        { "bound to a2", null, "a2", "2" },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_probe_goes_and_comes_back_where_it_is_told(string what, uint? mark, string? device, string path)
    {
        await using var responder = ProbeResponder.Start(
            new ResponderOptions { NodeName = "gw-b", BindAddress = IPAddress.Parse(Service), NetworkNamespace = _responder.Name }, null);
        await using var prober = new Prober(new ProberOptions { NodeName = "gw-a", NetworkNamespace = _prober.Name });
        var before = Counters();

        var target = new ProbeTarget("gw-b", new IPEndPoint(IPAddress.Parse(Service), ProbeWire.DefaultPort)) { FwMark = mark, Device = device };
        (await prober.SyncAsync([target])).Failed.Should().BeEmpty();
        (await AgentLab.WaitUntilAsync(() => prober.Find("gw-b")!.Statistics.Replies >= 5, Deadline)).Should().BeTrue(what);
        await prober.DisposeAsync();

        var after = Counters();
        string other = path == "1" ? "2" : "1";
        (after["b" + path] - before["b" + path]).Should().BeGreaterThanOrEqualTo(5, $"{what}: requests arrive on b{path}");
        (after["a" + path] - before["a" + path]).Should().BeGreaterThanOrEqualTo(5, $"{what}: replies arrive on a{path}");
        (after["b" + other] - before["b" + other]).Should().Be(0, $"{what}: no request on b{other}");
        (after["a" + other] - before["a" + other]).Should().Be(0, $"{what}: no reply on a{other}");
        responder.Counters.Replies.Should().Be(after["b" + path] - before["b" + path], "every request that arrived was answered");
    }

    private Dictionary<string, long> Counters() => new()
    {
        ["a1"] = ProbeLab.PacketCount(_prober, "INPUT", "--comment a1"),
        ["a2"] = ProbeLab.PacketCount(_prober, "INPUT", "--comment a2"),
        ["b1"] = ProbeLab.PacketCount(_responder, "INPUT", "--comment b1"),
        ["b2"] = ProbeLab.PacketCount(_responder, "INPUT", "--comment b2"),
    };
}
