using Raven.Agent.Linux;

namespace Raven.Agent.Tests.Linux;

public sealed class SysctlAndMacTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("raven-sysctl-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Ensure_writes_only_when_the_value_differs()
    {
        string dir = Path.Combine(_root, "net", "ipv4", "conf", "eth0.100");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "rp_filter"), "1\n");
        var sysctl = new Sysctl(_root);
        var key = Sysctl.Ipv4Conf("eth0.100", "rp_filter");

        sysctl.Ensure(key, "2").Should().BeTrue();
        sysctl.Ensure(key, "2").Should().BeFalse();

        sysctl.Read(key).Should().Be("2");
        sysctl.Writes.Should().Be(1);
    }

    [Fact]
    public void Missing_key_and_path_tricks_fail_with_the_key_named()
    {
        var sysctl = new Sysctl(_root);

        sysctl.Invoking(s => s.Ensure(Sysctl.Key("net.ipv4.ip_forward"), "1")).Should().Throw<InvalidOperationException>().WithMessage("*net.ipv4.ip_forward*");
        FluentActions.Invoking(() => Sysctl.Ipv4Conf("../x", "rp_filter")).Should().Throw<ArgumentException>().WithMessage("*'../x'*");
    }

    [Fact]
    public void Mac_round_trips_through_text_and_bytes()
    {
        var mac = MacAddress.Parse("AA:0f:F0:00:01:05");

        mac.ToString().Should().Be("aa:0f:f0:00:01:05");
        MacAddress.FromBytes(mac.GetBytes()).Should().Be(mac);
        FluentActions.Invoking(() => MacAddress.Parse("aa:bb")).Should().Throw<FormatException>().WithMessage("*aa:bb*");
    }
}
