using Raven.Agent.Linux;

namespace Raven.Agent.Tests.Linux;

/// <summary>Read-only requests on a real NETLINK_ROUTE socket; these need no privileges and change nothing.</summary>
public sealed class NetlinkSocketTests
{
    [Fact]
    public void Dump_and_lookup_work_without_root_and_a_missing_link_is_null()
    {
        using var netlink = RtNetlink.Open();

        var links = netlink.ListLinks();
        var loopback = netlink.FindLink("lo");

        links.Should().Contain(l => l.Name == "lo");
        loopback.Should().NotBeNull();
        loopback!.Index.Should().Be(links.Single(l => l.Name == "lo").Index);
        netlink.FindLink("rvt-nolink").Should().BeNull();
        netlink.Invoking(n => n.FindLink("rvt-name-too-long")).Should().Throw<ArgumentException>().WithMessage("*'rvt-name-too-long'*");
        netlink.ListRules().Should().Contain(r => r.Table == NetRoute.MainTable);
        netlink.ChangeRequests.Should().Be(0);
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("")]
    [InlineData("rvt-does-not-exist-here")]
    public void Unknown_or_unsafe_namespace_names_are_rejected_before_any_setns(string name) =>
        FluentActions.Invoking(() => RtNetlink.OpenInNamespace(name)).Should().Throw<ArgumentException>().WithMessage($"*'{name}'*");
}
