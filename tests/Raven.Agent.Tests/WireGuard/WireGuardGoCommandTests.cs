using Raven.Agent.Tunnel.WireGuard;

namespace Raven.Agent.Tests.WireGuard;

public class WireGuardGoCommandTests
{
    [Fact]
    public void Runs_in_the_foreground_inside_the_namespace()
    {
        var info = WireGuardGoCommand.Create(new WireGuardGoOptions { InterfaceName = "raven-wg0", NetworkNamespace = "rvt-wg-a" });

        info.FileName.Should().Be("ip");
        info.ArgumentList.Should().Equal("netns", "exec", "rvt-wg-a", "wireguard-go", "raven-wg0");
        info.Environment["WG_PROCESS_FOREGROUND"].Should().Be("1");
        info.UseShellExecute.Should().BeFalse();
    }

    [Fact]
    public void Runs_directly_without_a_namespace()
    {
        var info = WireGuardGoCommand.Create(new WireGuardGoOptions { InterfaceName = "raven-wg0", Executable = "/usr/bin/wireguard-go" });

        info.FileName.Should().Be("/usr/bin/wireguard-go");
        info.ArgumentList.Should().Equal("raven-wg0");
        info.Environment["WG_PROCESS_FOREGROUND"].Should().Be("1");
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a b")]
    [InlineData("")]
    public void Rejects_bad_namespace_names(string ns)
    {
        var act = () => WireGuardGoCommand.Create(new WireGuardGoOptions { InterfaceName = "wg0", NetworkNamespace = ns });

        act.Should().Throw<ArgumentException>().WithMessage("*namespace*");
    }

    [Fact]
    public void Socket_path_follows_the_interface_and_directory()
    {
        new WireGuardGoOptions { InterfaceName = "rvtwga0", SocketDirectory = "/tmp/x" }.SocketPath.Should().Be("/tmp/x/rvtwga0.sock");
        new WireGuardGoOptions { InterfaceName = "raven-wg0" }.SocketPath.Should().Be("/var/run/wireguard/raven-wg0.sock");
    }
}
