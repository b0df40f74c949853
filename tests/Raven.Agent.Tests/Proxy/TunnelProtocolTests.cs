using System.Net;
using System.Security.Cryptography;
using Raven.Agent.Proxy.Tunnel;
using Raven.TestSupport;

namespace Raven.Agent.Tests.Proxy;

/// <summary>The reverse tunnel at the protocol level: a server, proxy clients, and an echo target on loopback.</summary>
public sealed class TunnelProtocolTests
{
    private const string Node = "edge-gw-1";

    [Fact]
    public async Task Many_concurrent_streams_echo_random_sizes_exactly()
    {
        await using var fixture = await TunnelFixture.StartAsync();
        await using var echo = new EchoServer();
        await fixture.ConnectClientAsync(Node);

        var sizes = Enumerable.Range(0, 200).Select(i => i switch
        {
            < 4 => 2 * 1024 * 1024 + Random.Shared.Next(1024 * 1024), // multi-MiB
            < 20 => Random.Shared.Next(64 * 1024, 512 * 1024),
            < 40 => 1,
            _ => Random.Shared.Next(0, 16 * 1024),
        }).ToList();

        var results = await Task.WhenAll(sizes.Select(size => EchoThroughTunnelAsync(fixture, echo.EndPoint, size)));

        results.Should().AllSatisfy(ok => ok.Should().BeTrue());
    }

    [Fact]
    public async Task Half_close_still_delivers_the_rest_of_the_echo()
    {
        await using var fixture = await TunnelFixture.StartAsync();
        await using var echo = new EchoServer();
        await fixture.ConnectClientAsync(Node);
        await using var stream = await fixture.DialAsync(Node, echo.EndPoint);
        var payload = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);

        // Write everything, then shut down our write side before reading a single byte back.
        await stream.WriteAsync(payload);
        await stream.CompleteWritesAsync();
        var received = await ReadToEndAsync(stream);

        received.Should().Equal(payload);
    }

    [Fact]
    public async Task Target_half_close_reaches_the_server_which_can_still_send()
    {
        await using var fixture = await TunnelFixture.StartAsync();
        await fixture.ConnectClientAsync(Node);
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var received = GreetThenCountAsync(listener);
        await using var stream = await fixture.DialAsync(Node, new DnsEndPoint("127.0.0.1", port));

        // The target said hello and shut down its send side: we see the end of the stream first...
        System.Text.Encoding.ASCII.GetString(await ReadToEndAsync(stream)).Should().Be("hello");
        // ...and can still send it everything.
        await stream.WriteAsync(new byte[150_000]);
        await stream.CompleteWritesAsync();

        (await received).Should().Be(150_000);
    }

    private static async Task<long> GreetThenCountAsync(System.Net.Sockets.TcpListener listener)
    {
        using var socket = await listener.AcceptSocketAsync();
        await socket.SendAsync("hello"u8.ToArray());
        socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await socket.ReceiveAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    [Fact]
    public async Task Aborting_one_stream_leaves_the_others_working()
    {
        await using var fixture = await TunnelFixture.StartAsync();
        await using var echo = new EchoServer();
        await fixture.ConnectClientAsync(Node);
        var victim = await fixture.DialAsync(Node, echo.EndPoint);
        var survivors = new List<TunnelStream>();
        for (var i = 0; i < 5; i++)
        {
            survivors.Add(await fixture.DialAsync(Node, echo.EndPoint));
        }

        await victim.WriteAsync(new byte[1000]);
        victim.Abort();
        var victimRead = async () => await ReadToEndAsync(victim);

        await victimRead.Should().ThrowAsync<Exception>();
        foreach (var stream in survivors)
        {
            var payload = RandomNumberGenerator.GetBytes(100_000);
            await stream.WriteAsync(payload);
            await stream.CompleteWritesAsync();
            (await ReadToEndAsync(stream)).Should().Equal(payload);
            await stream.DisposeAsync();
        }
    }

    [Fact]
    public async Task Canceling_a_read_on_one_stream_leaves_the_others_working()
    {
        await using var fixture = await TunnelFixture.StartAsync();
        await using var echo = new EchoServer();
        await fixture.ConnectClientAsync(Node);
        await using var idle = await fixture.DialAsync(Node, echo.EndPoint);
        using var cancel = new CancellationTokenSource();
        var pendingRead = idle.ReadAsync(new byte[10], cancel.Token).AsTask();

        await cancel.CancelAsync();

        await pendingRead.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        (await EchoThroughTunnelAsync(fixture, echo.EndPoint, 50_000)).Should().BeTrue();
    }

    [Fact]
    public async Task Server_restart_client_reconnects_and_new_streams_work()
    {
        await using var fixture = await TunnelFixture.StartAsync();
        await using var echo = new EchoServer();
        var client = await fixture.ConnectClientAsync(Node);
        (await EchoThroughTunnelAsync(fixture, echo.EndPoint, 10_000)).Should().BeTrue();

        await fixture.RestartServerAsync();

        // The server registers the session before its response reaches the client, so each side is waited for.
        await Poll.UntilAsync(() => fixture.Server.IsConnected(Node), "the new server saw the client reconnect");
        await Poll.UntilAsync(() => client.Connections.Count == 1 && client.Connections[0].Connected, "the client saw its session accepted");
        (await EchoThroughTunnelAsync(fixture, echo.EndPoint, 10_000)).Should().BeTrue();
    }

    [Fact]
    public async Task Client_restart_server_forgets_the_old_session_and_uses_the_new_one()
    {
        await using var fixture = await TunnelFixture.StartAsync();
        await using var echo = new EchoServer();
        var first = await fixture.ConnectClientAsync(Node);

        await fixture.RemoveClientAsync(first);
        await Poll.UntilAsync(() => !fixture.Server.IsConnected(Node), "the server dropped the stopped client");
        (await fixture.Server.DialAsync(Node, echo.EndPoint, CancellationToken.None)).Status.Should().Be(TunnelDialStatus.NoTunnel);
        await fixture.ConnectClientAsync(Node);

        (await EchoThroughTunnelAsync(fixture, echo.EndPoint, 10_000)).Should().BeTrue();
    }

    [Fact]
    public async Task Client_keeps_a_tunnel_to_every_server_replica_and_follows_the_set()
    {
        await using var first = await TunnelFixture.StartAsync();
        await using var second = await TunnelFixture.StartAsync(first.Pki);
        await using var echo = new EchoServer();
        var client = await first.ConnectClientAsync(Node);

        await client.SetServersAsync([first.ServerEndPoint, second.ServerEndPoint]);
        await Poll.UntilAsync(() => second.Server.IsConnected(Node), "the client connected to the second replica");

        (await EchoThroughTunnelAsync(first, echo.EndPoint, 1000)).Should().BeTrue();
        (await EchoThroughTunnelAsync(second, echo.EndPoint, 1000)).Should().BeTrue();

        await client.SetServersAsync([second.ServerEndPoint]);
        await Poll.UntilAsync(() => !first.Server.IsConnected(Node), "the client left the removed replica");
        second.Server.IsConnected(Node).Should().BeTrue();
    }

    [Fact]
    public async Task Dial_to_a_closed_port_reports_the_failure_from_the_client()
    {
        await using var fixture = await TunnelFixture.StartAsync();
        await fixture.ConnectClientAsync(Node);
        var closedPort = new DnsEndPoint("127.0.0.1", UnusedPort());

        var result = await fixture.Server.DialAsync(Node, closedPort, CancellationToken.None);

        result.Status.Should().Be(TunnelDialStatus.DialFailed);
        result.Error.Should().Contain(Node).And.Contain(closedPort.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Dial_to_an_unknown_client_is_NoTunnel()
    {
        await using var fixture = await TunnelFixture.StartAsync();

        var result = await fixture.Server.DialAsync("nobody", new DnsEndPoint("127.0.0.1", 1), CancellationToken.None);

        result.Status.Should().Be(TunnelDialStatus.NoTunnel);
        result.Error.Should().Contain("nobody");
    }

    internal static async Task<bool> EchoThroughTunnelAsync(TunnelFixture fixture, DnsEndPoint target, int size)
    {
        await using var stream = await fixture.DialAsync(Node, target);
        var payload = RandomNumberGenerator.GetBytes(size);
        var reading = ReadToEndAsync(stream);
        // Write in uneven pieces so tiny and large frames both occur.
        for (var offset = 0; offset < payload.Length;)
        {
            var piece = Math.Min(payload.Length - offset, Random.Shared.Next(1, 200_000));
            await stream.WriteAsync(payload.AsMemory(offset, piece));
            offset += piece;
        }

        await stream.CompleteWritesAsync();
        var received = await reading;
        return received.AsSpan().SequenceEqual(payload);
    }

    internal static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    internal static int UnusedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
