using Raven.Agent.Linux;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Linux;

/// <summary>Sysctl writes from a thread inside a namespace change that namespace only, and only when different.</summary>
public sealed class SysctlNamespaceTests : IDisposable
{
    private readonly TestNamespace _ns = TestNamespace.Create("sys");

    public void Dispose() => _ns.Dispose();

    [Fact]
    public void Ensure_writes_once_inside_the_namespace_and_leaves_the_root_namespace_alone()
    {
        _ns.Ip("link", "add", "rvbr0", "type", "bridge");
        string rootForward = File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim();
        var sysctl = new Sysctl();
        string target = rootForward == "1" ? "0" : "1";

        Directory.Exists("/proc/sys/net/ipv4/conf/rvbr0").Should().BeFalse("the guard below relies on rvbr0 existing only in the test namespace");
        var (first, second, rp) = NetworkNamespace.Run(_ns.Name, () =>
        {
            // Guard before any write: the thread must see the namespace's sysctls, never the root namespace's.
            if (!Directory.Exists("/proc/sys/net/ipv4/conf/rvbr0"))
            {
                throw new InvalidOperationException("thread does not see the test namespace's /proc/sys/net");
            }

            bool wroteForward = sysctl.Ensure(Sysctl.IpForward, target);
            bool wroteAgain = sysctl.Ensure(Sysctl.IpForward, target);
            sysctl.Ensure(Sysctl.Ipv4Conf("rvbr0", "rp_filter"), "2");
            sysctl.Ensure(Sysctl.Ipv4Conf("all", "send_redirects"), "0");
            return (wroteForward, wroteAgain, sysctl.Read(Sysctl.Ipv4Conf("rvbr0", "rp_filter")));
        });

        first.Should().BeTrue();
        second.Should().BeFalse();
        rp.Should().Be("2");
        _ns.Exec("sysctl", "-n", "net.ipv4.ip_forward").Trim().Should().Be(target);
        _ns.Exec("sysctl", "-n", "net.ipv4.conf.rvbr0.rp_filter").Trim().Should().Be("2");
        _ns.Exec("sysctl", "-n", "net.ipv4.conf.all.send_redirects").Trim().Should().Be("0");
        File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim().Should().Be(rootForward);
    }
}
