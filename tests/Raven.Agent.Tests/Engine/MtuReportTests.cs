using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Raven.Agent.Engine;
using Raven.Agent.Engine.Drivers;
using Raven.Agent.Health.Protocol;
using Raven.Agent.Linux;
using Raven.Api.DataPlane;
using Raven.Kube.Observability;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Engine;

/// <summary>The data-plane report carries the MTUs the agent plans with and those its kernel shows (here a fake rtnetlink).</summary>
public sealed class MtuReportTests
{
    /// <summary>A kernel as rtnetlink dumps it: the devices and addresses given, nothing else.</summary>
    private sealed class FakeLinks(List<NetLink> links, List<NetAddress> addresses) : ILinkReader
    {
        private volatile NetLink[] _links = [.. links];

        /// <summary>Sets one device's MTU, as `ip link set mtu` would (safe while the engine's loop reads).</summary>
        public void SetMtu(string device, int mtu) => _links = [.. _links.Select(l => l.Name == device ? l with { Mtu = mtu } : l)];

        public IReadOnlyList<NetLink> ListLinks() => _links;

        public IReadOnlyList<NetAddress> ListAddresses(AddressFamily family = AddressFamily.InterNetwork) =>
            [.. addresses.Where(a => a.Address.AddressFamily == family)];
    }

    private static (AgentEngine Engine, InMemoryAgentInputs Inputs, FakeLinks Kernel) Rig(string node, params NetLink[] links) => Rig(node, null, links);

    private static (AgentEngine Engine, InMemoryAgentInputs Inputs, FakeLinks Kernel) Rig(string node, TimeProvider? time, params NetLink[] links)
    {
        var inputs = new InMemoryAgentInputs();
        var tunnel = new FakeTunnelBackend(KeyOf(node));
        var ip = IPAddress.Parse(node == "cloud-gw" ? "172.16.0.10" : "172.16.0.11");
        var kernel = new FakeLinks([new NetLink(1, "lo", null, 65536, true), .. links],
            [new NetAddress(1, IPAddress.Loopback, 8) { Scope = RouteScope.Host }, new NetAddress(2, ip, 24), new NetAddress(2, IPAddress.Parse("172.16.9.1"), 24)]);
        var flags = new Dictionary<string, string> { ["node-name"] = node };
        var engine = new AgentEngine(config => AgentOptionsParser.Parse(flags, _ => null, config), inputs, inputs, tunnel,
            new PlanApplier([new TunnelStep(tunnel), new FakeDriver("vxlan"), new FakeDriver("routing")]), new AgentMetrics(), time: time, links: kernel);
        inputs.SetGateways(CloudAndTwoNatedEdges());
        return (engine, inputs, kernel);
    }

    [Fact]
    public async Task A_gateways_report_carries_its_planned_MTUs_and_the_kernels_devices()
    {
        var (engine, _, _) = Rig("cloud-gw", new NetLink(2, "ens5", null, 1400, true), new NetLink(3, "raven0", "vxlan", 1450, true),
            new NetLink(4, "rvt-fake0", "wireguard", 1440, true));
        await engine.ApplyOnceAsync(CancellationToken.None);
        var reporter = new DataPlaneReporter(() => new Dictionary<string, string>(), () => GatewayClaim.None, _ => { }, () => engine.Mtu);

        var report = DataPlaneReport.TryParse(reporter.PublishOnce())!;

        report.Mtu.Should().Be(new MtuReport
        {
            PlannedUnderlayMtu = 1500,
            PlannedRouteMtu = 1440,
            NodeIp = "172.16.0.10",
            UnderlayDevice = "ens5",
            UnderlayDeviceMtu = 1400,
            VxlanDeviceMtu = 1450,
            TunnelDevice = "rvt-fake0",
            TunnelDeviceMtu = 1440,
        });
    }

    [Fact]
    public async Task A_member_has_no_tunnel_device_and_follows_underlay_mtu_from_raven_agent_config()
    {
        var (engine, inputs, _) = Rig("cloud-w1", new NetLink(2, "eth0", null, 1400, true), new NetLink(3, "raven0", "vxlan", 1350, true),
            new NetLink(4, "rvt-fake0", "wireguard", 1440, true));
        inputs.SetAgentConfig(new Dictionary<string, string> { [AgentOptionsParser.UnderlayMtuConfigKey] = "1400" });

        await engine.ApplyOnceAsync(CancellationToken.None);

        engine.Mtu.Should().Be(new MtuReport
        {
            PlannedUnderlayMtu = 1400,
            PlannedRouteMtu = 1340,
            NodeIp = "172.16.0.11",
            UnderlayDevice = "eth0",
            UnderlayDeviceMtu = 1400,
            VxlanDeviceMtu = 1350,
        }, "a member's report names no tunnel device, even where a device of that name exists");
    }

    [Fact]
    public async Task An_MTU_changed_in_the_kernel_shows_in_the_next_reading_and_an_unchanged_one_writes_nothing_new()
    {
        var (engine, _, kernel) = Rig("cloud-gw", new NetLink(2, "eth0", null, 1500, true), new NetLink(3, "raven0", "vxlan", 1450, true));
        await engine.ApplyOnceAsync(CancellationToken.None);
        var published = new List<string?>();
        var reporter = new DataPlaneReporter(() => new Dictionary<string, string>(), () => GatewayClaim.None, published.Add, () => engine.Mtu);
        var before = reporter.PublishOnce();
        engine.Mtu!.TunnelDeviceMtu.Should().BeNull("the tunnel device does not exist yet");

        kernel.SetMtu("eth0", 1380);
        await engine.ApplyOnceAsync(CancellationToken.None);
        var after = reporter.PublishOnce();

        DataPlaneReport.TryParse(before)!.Mtu!.UnderlayDeviceMtu.Should().Be(1500);
        DataPlaneReport.TryParse(after)!.Mtu!.UnderlayDeviceMtu.Should().Be(1380);
        reporter.PublishOnce().Should().Be(after, "the same reading renders the same text, which the lease does not write again");
    }

    [Fact]
    public async Task Between_passes_the_loop_reads_the_kernel_again_on_its_own_clock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var (engine, _, kernel) = Rig("cloud-gw", time, new NetLink(2, "eth0", null, 1500, true), new NetLink(3, "raven0", "vxlan", 1450, true));
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(() => engine.RunAsync(stop.Token));
        await Until(() => engine.Mtu is not null, () => time.Advance(TimeSpan.FromMilliseconds(10)));
        var pass = engine.LastReport;

        kernel.SetMtu("eth0", 1380);
        await Until(() => engine.Mtu!.UnderlayDeviceMtu == 1380, () => time.Advance(TimeSpan.FromMilliseconds(100)));

        engine.LastReport.Should().BeSameAs(pass, "no pass ran: the periodic reading found it (the next pass is 10 min away)");
        await stop.CancelAsync();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
            // cancelled while waiting
        }
    }

    private static async Task Until(Func<bool> condition, Action step)
    {
        var end = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > end)
            {
                throw new TimeoutException("condition not met in time");
            }

            step();
            await Task.Delay(5);
        }
    }

    [Fact]
    public void Over_real_rtnetlink_the_device_holding_the_address_and_its_MTU_match_what_sysfs_shows()
    {
        // Read-only dumps of this namespace's loopback: no privileges, nothing changed (as NetlinkSocketTests).
        using var netlink = RtNetlink.Open();
        var plan = Raven.Agent.Planning.NetworkPlan.Empty(Raven.Agent.Planning.PlanRole.NotInDomain, "n", null, []);

        var report = MtuObservation.Read(netlink, plan, 1500, IPAddress.Loopback, "raven-wg0");

        report.UnderlayDevice.Should().Be("lo");
        report.UnderlayDeviceMtu.Should().Be(int.Parse(File.ReadAllText("/sys/class/net/lo/mtu").Trim(), System.Globalization.CultureInfo.InvariantCulture));
        report.TunnelDevice.Should().BeNull("a node without a tunnel plan reports no tunnel device");
        netlink.ChangeRequests.Should().Be(0);
    }

    [Fact]
    public void No_device_holding_the_node_IP_leaves_the_underlay_empty()
    {
        var plan = Raven.Agent.Planning.NetworkPlan.Empty(Raven.Agent.Planning.PlanRole.Disabled, "n", "g", []);

        var report = MtuObservation.From(plan, 1500, IPAddress.Parse("10.9.9.9"), "raven-wg0", [new NetLink(2, "eth0", null, 1500, true)],
            [new NetAddress(2, IPAddress.Parse("10.0.0.1"), 24)]);

        report.Should().Be(new MtuReport { PlannedUnderlayMtu = 1500, NodeIp = "10.9.9.9" });
    }
}
