using System.Net.Sockets;
using Raven.Agent.Tunnel.IPsec;

namespace Raven.Agent.Tests.IPsec;

public sealed class ViciClientTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("rvt-ips-vici-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Socket => Path.Combine(directory, "charon.vici");

    /// <summary>Answers each request segment by its position in a captured exchange.</summary>
    private static Func<string, IReadOnlyList<string>?> Replay(string[] sent, params string[][] answers) => segment =>
    {
        var index = Array.IndexOf(sent, segment);
        return index < 0 ? throw new InvalidOperationException($"unexpected segment {segment}") : answers[index];
    };

    [Fact]
    public async Task Version_sends_charons_captured_request_and_reads_its_answer()
    {
        using var server = new FakeViciServer(Socket, Replay(CapturedVici.VersionSent, CapturedVici.VersionReceived));
        var charon = new CharonClient(new ViciClient(Socket));

        var version = await charon.VersionAsync(CancellationToken.None);

        server.Received.Should().Equal(CapturedVici.VersionSent);
        (version.Daemon, version.Version, version.Parsed).Should().Be(("charon", "5.9.8", new Version(5, 9, 8)));
    }

    [Fact]
    public async Task A_refused_command_throws_with_charons_errmsg()
    {
        using var server = new FakeViciServer(Socket, Replay(CapturedVici.UnloadMissingSent, CapturedVici.UnloadMissingReceived));
        var charon = new CharonClient(new ViciClient(Socket));

        var unload = () => charon.UnloadConnAsync("raven-missing", CancellationToken.None);

        var failure = (await unload.Should().ThrowAsync<ViciException>()).Which;
        server.Received.Should().Equal(CapturedVici.UnloadMissingSent);
        (failure.Failure, failure.Subject, failure.CharonMessage).Should().Be((ViciFailure.CommandFailed, "unload-conn", "unload: connection 'raven-missing' not found"));
        failure.Message.Should().Contain("unload-conn").And.Contain(Socket).And.Contain("not found");
    }

    [Fact]
    public async Task Call_returns_a_failed_response_without_throwing()
    {
        using var server = new FakeViciServer(Socket, _ => CapturedVici.UnloadMissingReceived);
        var client = new ViciClient(Socket);

        var response = await client.CallAsync("unload-conn", new ViciSection().Add("name", "raven-missing"), CancellationToken.None);

        response.Text("success").Should().Be("no");
    }

    [Fact]
    public async Task An_unknown_command_throws_naming_it()
    {
        using var server = new FakeViciServer(Socket, Replay(CapturedVici.UnknownCommandSent, CapturedVici.UnknownCommandReceived));
        var client = new ViciClient(Socket);

        var call = () => client.CallAsync("raven-no-such-command", null, CancellationToken.None);

        (await call.Should().ThrowAsync<ViciException>()).Which.Failure.Should().Be(ViciFailure.UnknownCommand);
    }

    [Fact]
    public async Task List_sas_registers_for_list_sa_and_collects_the_streamed_events_until_the_response()
    {
        using var server = new FakeViciServer(Socket, Replay(
            CapturedVici.ListSasSent, [CapturedVici.ListSasReceived[0]], [CapturedVici.ListSasReceived[1], CapturedVici.ListSasReceived[2]]));
        var charon = new CharonClient(new ViciClient(Socket));

        var sas = await charon.ListSasAsync(CancellationToken.None);

        server.Received.Should().Equal(CapturedVici.ListSasSent, "the registration comes first, as swanctl does it");
        sas.Should().ContainSingle().Which.Connection.Should().Be("raven-gw-b");
    }

    [Fact]
    public async Task List_conns_streams_list_conn_events()
    {
        using var server = new FakeViciServer(Socket, Replay(
            CapturedVici.ListConnsSent, [CapturedVici.ListConnsReceived[0]], [CapturedVici.ListConnsReceived[1], CapturedVici.ListConnsReceived[2]]));
        var charon = new CharonClient(new ViciClient(Socket));

        var connections = await charon.ListConnsAsync(CancellationToken.None);

        server.Received.Should().Equal(CapturedVici.ListConnsSent);
        connections.Should().ContainSingle().Which.Children.Should().ContainSingle().Which.Name.Should().Be("pods");
    }

    [Fact]
    public async Task Load_shared_and_unload_conn_send_what_swanctl_sends()
    {
        using var server = new FakeViciServer(Socket, _ => [CapturedVici.LoadSharedReceived[2]]);
        var charon = new CharonClient(new ViciClient(Socket));

        await charon.LoadSharedAsync("ike-raven", "testsecret", [], CancellationToken.None);
        await charon.UnloadConnAsync("raven-gw-b", CancellationToken.None);

        server.Received.Should().Equal(CapturedVici.LoadSharedSent[2], CapturedVici.UnloadConnSent[1]);
    }

    [Fact]
    public async Task Listen_yields_registered_events_as_charon_raises_them()
    {
        using var server = new FakeViciServer(Socket, segment =>
            segment == CapturedVici.MonitorSent[0] ? [CapturedVici.MonitorReceived[0]]
            : segment == CapturedVici.MonitorSent[1] ? [CapturedVici.MonitorReceived[1], CapturedVici.MonitorReceived[2], CapturedVici.MonitorReceived[3]]
            : throw new InvalidOperationException(segment));
        var client = new ViciClient(Socket);
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var events = new List<ViciEvent>();
        await foreach (var raised in client.ListenAsync(["ike-updown", "child-updown"], done.Token))
        {
            events.Add(raised);
            if (events.Count == 2)
            {
                break;
            }
        }

        server.Received.Should().Equal(CapturedVici.MonitorSent);
        events.Select(e => e.Name).Should().Equal("ike-updown", "child-updown");
    }

    [Fact]
    public async Task Listening_for_an_event_charon_does_not_know_throws_naming_it()
    {
        using var server = new FakeViciServer(Socket, Replay(CapturedVici.UnknownEventSent, CapturedVici.UnknownEventReceived));
        var client = new ViciClient(Socket);

        var listen = async () =>
        {
            await foreach (var _ in client.ListenAsync(["raven-no-such-event"], CancellationToken.None))
            {
            }
        };

        var failure = (await listen.Should().ThrowAsync<ViciException>()).Which;
        (failure.Failure, failure.Subject).Should().Be((ViciFailure.UnknownEvent, "raven-no-such-event"));
    }

    [Fact]
    public async Task A_hung_charon_times_out_naming_the_command_and_socket()
    {
        using var server = new FakeViciServer(Socket, _ => null);
        var client = new ViciClient(Socket) { RequestTimeout = TimeSpan.FromMilliseconds(200) };

        var call = () => client.CallAsync("list-sas", null, CancellationToken.None);

        (await call.Should().ThrowAsync<TimeoutException>()).WithMessage($"*list-sas*{Socket}*");
        (await client.IsAliveAsync(CancellationToken.None)).Should().BeFalse();
    }

    [Fact]
    public async Task Cancellation_is_not_reported_as_a_timeout()
    {
        using var server = new FakeViciServer(Socket, _ => null);
        var client = new ViciClient(Socket);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var call = () => client.CallAsync("version", null, cancel.Token);

        await call.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task A_connection_closed_mid_answer_is_an_io_error()
    {
        using var server = new FakeViciServer(Socket, _ => ["00000010010307", ""]);
        var client = new ViciClient(Socket);

        var call = () => client.CallAsync("version", null, CancellationToken.None);

        (await call.Should().ThrowAsync<IOException>()).WithMessage("*closed the VICI connection*");
    }

    [Fact]
    public async Task No_socket_means_not_alive_and_a_socket_error_for_calls()
    {
        var client = new ViciClient(Path.Combine(directory, "absent.vici"));

        (await client.IsAliveAsync(CancellationToken.None)).Should().BeFalse();
        var call = () => client.CallAsync("version", null, CancellationToken.None);
        await call.Should().ThrowAsync<SocketException>();
    }
}
