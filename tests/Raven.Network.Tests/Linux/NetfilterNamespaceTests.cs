using Raven.Agent.Linux.Netfilter;
using Raven.Agent.Linux.Processes;
using Raven.Agent.Planning;
using Raven.Api.Net;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Linux;

/// <summary>ipset restore / iptables-restore --noflush inside a namespace, on both iptables backends.</summary>
public sealed class NetfilterNamespaceTests : IDisposable
{
    private static readonly IpSetPlan SkipNatPairs = new(KernelNames.SkipNatSet, IpSetType.HashNetNet,
        new[]
        {
            new IpSetEntry(Cidr.Parse("203.0.113.0/26"), Cidr.Parse("198.51.100.0/25")),
            new IpSetEntry(Cidr.Parse("198.51.100.0/25"), Cidr.Parse("203.0.113.0/26")),
        }.ToValueList());

    private readonly TestNamespace _ns = TestNamespace.Create("nf");

    public void Dispose() => _ns.Dispose();

    public static TheoryData<string> Backends => new() { "path", "legacy" };

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Applying_twice_runs_no_restore_the_second_time_and_leaves_foreign_rules_alone(string backend)
    {
        var applier = await CreateApplier(backend);
        var tool = applier.Tool;
        bool netNetSets = await applier.SupportsIpSetTypeAsync(RavenNetfilter.SkipNatSetType);
        var gateway = Gateway(netNetSets, "198.51.100.0/26", "198.51.100.64/26");
        AddForeignState(tool);
        string foreignBefore = ForeignLines(tool);

        var first = await applier.ApplyAsync(gateway);
        long runsAfterFirst = applier.RestoreRuns;
        var second = await applier.ApplyAsync(gateway);

        first.Changed.Should().BeTrue();
        first.TablesRestored.Should().Equal("mangle", "nat");
        second.Changed.Should().BeFalse();
        applier.RestoreRuns.Should().Be(runsAfterFirst, "the second apply finds nothing to change");
        ForeignLines(tool).Should().Be(foreignBefore);

        string mangle = _ns.Exec(tool.Save, "-t", "mangle");
        FirstRuleOf(mangle, "PREROUTING").Should().Be("-A PREROUTING -m comment --comment \"raven traffic rules for mark\" -j RAVEN-MARK-CHAIN");
        FirstRuleOf(mangle, "OUTPUT").Should().Contain("-j RAVEN-MARK-CHAIN");
        mangle.Should().Contain("-A RAVEN-MARK-CHAIN -m set --match-set raven-mark-set src").And.Contain("--set-xmark 0x40/0x40")
            .And.Contain("-j RAVEN-MSS-CHAIN");
        string nat = _ns.Exec(tool.Save, "-t", "nat");
        FirstRuleOf(nat, "POSTROUTING").Should().EndWith("-j RAVEN-POSTROUTING");
        if (netNetSets)
        {
            _ns.Exec("ipset", "list", RavenNetfilter.SkipNatSet).Should().Contain("203.0.113.0/26,198.51.100.0/25");
        }
        else
        {
            nat.Should().Contain("-A RAVEN-POSTROUTING -s 203.0.113.0/26 -d 198.51.100.0/25 -m comment");
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Changed_members_touch_only_the_set_and_cleanup_removes_only_raven_objects(string backend)
    {
        var applier = await CreateApplier(backend);
        bool netNetSets = await applier.SupportsIpSetTypeAsync(RavenNetfilter.SkipNatSetType);
        AddForeignState(applier.Tool);
        string foreignBefore = ForeignLines(applier.Tool);
        await applier.ApplyAsync(Gateway(netNetSets, "198.51.100.0/26", "198.51.100.64/26"));
        long runs = applier.RestoreRuns;

        var changed = await applier.ApplyAsync(Gateway(netNetSets, "198.51.100.0/26"));

        changed.IpSetsUpdated.Should().BeTrue();
        changed.TablesRestored.Should().BeEmpty();
        (applier.RestoreRuns - runs).Should().Be(1);
        _ns.Exec("ipset", "list", RavenNetfilter.MarkSet).Should().Contain("198.51.100.0/26").And.NotContain("198.51.100.64/26");

        var cleaned = await applier.ApplyAsync(RavenNetfilter.Cleanup());

        cleaned.IpSetsDestroyed.Should().BeTrue();
        string all = _ns.Exec(applier.Tool.Save) + _ns.Exec("ipset", "list", "-n");
        all.Should().NotContain("RAVEN-").And.NotContain("raven-");
        ForeignLines(applier.Tool).Should().Be(foreignBefore);
        (await applier.ApplyAsync(RavenNetfilter.Cleanup())).Changed.Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_foreign_rule_inserted_above_the_mark_jump_is_kept_and_the_jump_returns_to_the_top(string backend)
    {
        var applier = await CreateApplier(backend);
        var state = RavenNetfilter.Render([FirewallRules.MarkSet([Cidr.Parse("198.51.100.0/26")])],
            [FirewallRules.MarkChain(SetMatchDirection.Destination)], hashNetNetSupported: true);
        await applier.ApplyAsync(state);
        string iptables = applier.Tool.Restore.Replace("-restore", "", StringComparison.Ordinal);
        _ns.Exec(iptables, "-w", "-t", "mangle", "-I", "PREROUTING", "1", "-s", "203.0.113.0/24", "-j", "ACCEPT");

        var healed = await applier.ApplyAsync(state);

        healed.TablesRestored.Should().Equal("mangle");
        var prerouting = _ns.Exec(applier.Tool.Save, "-t", "mangle").Split('\n').Where(l => l.StartsWith("-A PREROUTING ", StringComparison.Ordinal)).ToList();
        prerouting.Should().HaveCount(2);
        prerouting[0].Should().EndWith("-j RAVEN-MARK-CHAIN");
        prerouting[1].Should().Be("-A PREROUTING -s 203.0.113.0/24 -j ACCEPT");
        (await applier.ApplyAsync(state)).Changed.Should().BeFalse();
    }

    private static NetfilterState Gateway(bool netNetSets, params string[] remoteSubnets) =>
        RavenNetfilter.Render(
            [FirewallRules.MarkSet(remoteSubnets.Select(Cidr.Parse)), SkipNatPairs],
            [FirewallRules.MarkChain(SetMatchDirection.Source), FirewallRules.SkipNatChain(), FirewallRules.MssChain(1360, KernelNames.WireGuardDevice)],
            hashNetNetSupported: netNetSets);

    private async Task<NetfilterApplier> CreateApplier(string backend)
    {
        var runner = new ProcessCommandRunner(_ns.Name);
        var tool = backend == "legacy" ? IptablesTool.Legacy : await IptablesTool.DetectAsync(runner);
        tool.Backend.Should().BeOneOf("nf_tables", "legacy");
        return new NetfilterApplier(runner, tool);
    }

    // Stand-ins for kube-proxy / CNI state that Raven must never touch.
    private void AddForeignState(IptablesTool tool)
    {
        string iptables = tool.Restore.Replace("-restore", "", StringComparison.Ordinal);
        _ns.Exec("ipset", "create", "FOREIGN-SET", "hash:ip");
        _ns.Exec(iptables, "-w", "-t", "mangle", "-A", "PREROUTING", "-s", "192.0.2.0/24", "-j", "RETURN");
        _ns.Exec(iptables, "-w", "-t", "mangle", "-N", "FOREIGN-CHAIN");
        _ns.Exec(iptables, "-w", "-t", "mangle", "-A", "FOREIGN-CHAIN", "-m", "set", "--match-set", "FOREIGN-SET", "dst", "-j", "MARK", "--set-xmark", "0x4000/0x4000");
        _ns.Exec(iptables, "-w", "-t", "mangle", "-A", "OUTPUT", "-j", "FOREIGN-CHAIN");
        _ns.Exec(iptables, "-w", "-t", "nat", "-A", "POSTROUTING", "-s", "192.0.2.0/24", "-j", "MASQUERADE");
    }

    private string ForeignLines(IptablesTool tool)
    {
        var lines = (_ns.Exec(tool.Save) + _ns.Exec("ipset", "save")).Split('\n')
            .Where(l => l.StartsWith("-A", StringComparison.Ordinal) || l.StartsWith("create", StringComparison.Ordinal) || l.StartsWith(':'))
            .Where(l => !l.Contains("RAVEN", StringComparison.OrdinalIgnoreCase));
        return string.Join('\n', lines.Select(l => l.StartsWith("create", StringComparison.Ordinal) ? l.Split(" initval")[0] : l));
    }

    private static string FirstRuleOf(string save, string chain) =>
        save.Split('\n').First(l => l.StartsWith($"-A {chain} ", StringComparison.Ordinal));
}
