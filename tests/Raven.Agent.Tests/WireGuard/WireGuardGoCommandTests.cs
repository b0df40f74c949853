using Raven.Agent.Tunnel.WireGuard;

namespace Raven.Agent.Tests.WireGuard;

public class WireGuardGoCommandTests
{
    private const string RedirectAndExec = "exec \"$@\" </dev/null >>\"$0\" 2>&1";

    [Fact]
    public void Runs_in_the_foreground_inside_the_namespace()
    {
        var info = WireGuardGoCommand.Create(new WireGuardGoOptions { InterfaceName = "raven-wg0", NetworkNamespace = "rvt-wg-a" });

        info.FileName.Should().Be("ip");
        info.ArgumentList.Should().Equal("netns", "exec", "rvt-wg-a", "sh", "-c", RedirectAndExec, "/dev/null", "wireguard-go", "raven-wg0");
        info.Environment["WG_PROCESS_FOREGROUND"].Should().Be("1");
        info.UseShellExecute.Should().BeFalse();
    }

    [Fact]
    public void Runs_directly_without_a_namespace_and_logs_to_the_given_file()
    {
        var info = WireGuardGoCommand.Create(new WireGuardGoOptions
        {
            InterfaceName = "raven-wg0",
            Executable = "/usr/bin/wireguard-go",
            LogFile = "/var/log/raven/wg.log",
        });

        info.FileName.Should().Be("sh");
        info.ArgumentList.Should().Equal("-c", RedirectAndExec, "/var/log/raven/wg.log", "/usr/bin/wireguard-go", "raven-wg0");
        info.Environment["WG_PROCESS_FOREGROUND"].Should().Be("1");
    }

    [Fact]
    public void Daemon_output_is_not_piped_to_the_agent()
    {
        // A pipe would kill the daemon with SIGPIPE after the agent exits.
        var info = WireGuardGoCommand.Create(new WireGuardGoOptions { InterfaceName = "raven-wg0" });

        info.RedirectStandardOutput.Should().BeFalse();
        info.RedirectStandardError.Should().BeFalse();
        info.RedirectStandardInput.Should().BeFalse();
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
