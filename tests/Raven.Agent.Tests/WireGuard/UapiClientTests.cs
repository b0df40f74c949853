using System.Net.Sockets;
using Raven.Agent.Tunnel.WireGuard;

namespace Raven.Agent.Tests.WireGuard;

public sealed class UapiClientTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("rvt-wg-uapi-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Get_sends_get_and_parses_the_reply()
    {
        using var server = new FakeUapiServer(Path.Combine(directory, "wgt0.sock"), _ => CapturedUapi.Reply(CapturedUapi.DeviceBAfterHandshake));
        var client = UapiClient.ForInterface("wgt0", directory);

        var device = await client.GetDeviceAsync(CancellationToken.None);

        server.Requests.Should().Equal("get=1\n\n");
        device.ListenPort.Should().Be(51821);
        device.Peers.Should().ContainSingle();
    }

    [Fact]
    public async Task Set_sends_the_written_config()
    {
        using var server = new FakeUapiServer(Path.Combine(directory, "wgt0.sock"), _ => "errno=0\n\n");
        var client = new UapiClient(server.SocketPath);

        await client.ConfigureAsync(new DeviceConfig { ListenPort = 4500 }, CancellationToken.None);

        server.Requests.Should().Equal("set=1\nlisten_port=4500\n\n");
    }

    [Fact]
    public async Task Empty_config_is_not_sent()
    {
        using var server = new FakeUapiServer(Path.Combine(directory, "wgt0.sock"), _ => "errno=0\n\n");
        var client = new UapiClient(server.SocketPath);

        await client.ConfigureAsync(new DeviceConfig(), CancellationToken.None);

        server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Set_errno_throws_naming_set()
    {
        using var server = new FakeUapiServer(Path.Combine(directory, "wgt0.sock"), _ => "errno=-22\n\n");
        var client = new UapiClient(server.SocketPath);

        var act = () => client.ConfigureAsync(new DeviceConfig { ListenPort = 4500 }, CancellationToken.None);

        (await act.Should().ThrowAsync<UapiException>()).Which.Operation.Should().Be("set");
    }

    [Fact]
    public async Task Missing_or_stale_socket_is_not_alive()
    {
        var stalePath = Path.Combine(directory, "stale.sock");
        using (var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            stale.Bind(new UnixDomainSocketEndPoint(stalePath));
        }

        (await new UapiClient(Path.Combine(directory, "missing.sock")).IsAliveAsync(CancellationToken.None)).Should().BeFalse();
        (await new UapiClient(stalePath).IsAliveAsync(CancellationToken.None)).Should().BeFalse();
    }

    [Fact]
    public async Task A_daemon_that_never_answers_times_out_and_is_not_alive()
    {
        using var server = new FakeUapiServer(Path.Combine(directory, "hung.sock"), _ => null);
        var client = new UapiClient(server.SocketPath) { RequestTimeout = TimeSpan.FromMilliseconds(200) };

        var act = () => client.GetDeviceAsync(CancellationToken.None);

        await act.Should().ThrowAsync<TimeoutException>().WithMessage($"*{server.SocketPath}*");
        (await client.IsAliveAsync(CancellationToken.None)).Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("this-name-is-too-long")]
    [InlineData("../etc")]
    [InlineData("wg 0")]
    public void Rejects_invalid_interface_names(string name)
    {
        var act = () => UapiClient.ForInterface(name);

        act.Should().Throw<ArgumentException>().WithMessage("*interface name*");
    }
}
