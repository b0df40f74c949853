using System.Net;
using System.Net.Sockets;
using System.Text;
using Raven.Agent.Proxy.Directory;

namespace Raven.Agent.Tests.Proxy;

/// <summary>
/// What the front end's forwarder does to requests, responses and upgraded connections on their way through the
/// tunnel: the headers the target and the caller see, how upgraded connections end, cancellation, and which
/// upstream connections requests may reuse.
/// </summary>
public sealed class FrontEndForwardingTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private FrontEndFixture _fx = null!;

    public async Task InitializeAsync() => _fx = await FrontEndFixture.StartAsync();

    public async Task DisposeAsync() => await _fx.DisposeAsync();

    [Fact]
    public async Task Target_sees_end_to_end_headers_only_and_no_forwarding_headers_are_added()
    {
        using var client = _fx.HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers?nodeName=edge-a");
        request.Headers.Host = $"x:{_fx.Port}";
        request.Headers.Connection.Add("X-Hop-Request");
        request.Headers.TryAddWithoutValidation("X-Hop-Request", "named by Connection");
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic c2VjcmV0");
        request.Headers.Add("X-Tunnel-Proxy-Dest", $"127.0.0.2:{_fx.Port}");
        request.Headers.Add("X-End-To-End", "yes");
        request.Headers.Add("X-Forwarded-For", "192.0.2.7");

        using var response = await client.SendAsync(request);
        var seen = (await response.Content.ReadAsStringAsync()).Split('\n');

        response.StatusCode.Should().Be(HttpStatusCode.OK, string.Join('\n', seen));
        seen.Should().Contain(["x-end-to-end: yes", $"host: 127.0.0.2:{_fx.Port}"]);
        // The caller's own forwarding header passes unchanged, and the proxy adds none (as upstream's interceptor,
        // which writes the request as it came).
        seen.Should().Contain("x-forwarded-for: 192.0.2.7");
        seen.Should().NotContain(line => line.StartsWith("x-hop-request", StringComparison.Ordinal)
            || line.StartsWith("keep-alive", StringComparison.Ordinal)
            || line.StartsWith("proxy-authorization", StringComparison.Ordinal)
            || line.StartsWith("x-tunnel-proxy-", StringComparison.Ordinal)
            || line.StartsWith("x-forwarded-proto", StringComparison.Ordinal)
            || line.StartsWith("x-forwarded-host", StringComparison.Ordinal)
            || line.StartsWith("x-forwarded-prefix", StringComparison.Ordinal)
            || line.StartsWith("forwarded", StringComparison.Ordinal));
        response.Headers.GetValues("X-End-To-End").Should().Equal("kept");
        response.Headers.Contains("X-Hop-Response").Should().BeFalse();
    }

    [Theory]
    [InlineData("SPDY/3.1", "")] // kubectl exec / attach / port-forward, as kube-apiserver forwards them
    [InlineData("websocket", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n")] // the websocket protocols of newer kubectl
    public async Task Kubernetes_streaming_upgrades_are_spliced(string protocol, string extraHeaders)
    {
        await using var stream = await UpgradeAsync("/upgrade?nodeName=edge-b", protocol, extraHeaders);

        foreach (var message in new[] { "stdin", new string('x', 20_000), "stdout" })
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(message));
            (await RawHttp.ReadExactlyAsync(stream, message.Length)).Should().Be(message);
        }
    }

    [Fact]
    public async Task Caller_ending_an_upgraded_connection_ends_the_target_connection()
    {
        await using var stream = await UpgradeAsync("/upgrade?nodeName=edge-b", "SPDY/3.1");
        await stream.WriteAsync("ping"u8.ToArray());
        (await RawHttp.ReadExactlyAsync(stream, 4)).Should().Be("ping");

        stream.Socket.Shutdown(SocketShutdown.Send);

        var ended = await Task.WhenAny(_fx.KubeletB.UpgradeEnded.Task, Task.Delay(Deadline));
        ended.Should().Be(_fx.KubeletB.UpgradeEnded.Task, "the target must see its connection end when the caller leaves");
        (await RawHttp.EndsAsync(stream, Deadline)).Should().BeTrue("the proxy closes the caller's side too");
    }

    [Fact]
    public async Task Target_ending_an_upgraded_connection_closes_the_callers()
    {
        await using var stream = await UpgradeAsync("/upgrade-and-leave?nodeName=edge-a", "SPDY/3.1");

        (await RawHttp.ReadExactlyAsync(stream, 3)).Should().Be("bye");
        (await RawHttp.EndsAsync(stream, Deadline)).Should().BeTrue();
    }

    [Fact]
    public async Task Caller_going_away_aborts_the_streaming_request_at_the_target()
    {
        var client = _fx.HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/stream?nodeName=edge-a");
        request.Headers.Host = $"x:{_fx.Port}";
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStreamAsync();
        (await RawHttp.ReadUntilAsync(body, "first\n")).Should().Be("first\n");

        response.Dispose();
        client.Dispose();

        var aborted = await Task.WhenAny(_fx.KubeletA.StreamAborted.Task, Task.Delay(Deadline));
        aborted.Should().Be(_fx.KubeletA.StreamAborted.Task, "the target's request must be aborted when the caller leaves");
    }

    [Fact]
    public async Task Target_hanging_up_without_an_answer_is_502_naming_the_node_and_target()
    {
        using var client = _fx.HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hang-up?nodeName=edge-a");
        request.Headers.Host = $"x:{_fx.Port}";

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        body.Should().Contain("\"edge-a\"").And.Contain($"127.0.0.2:{_fx.Port}");
    }

    [Fact]
    public async Task A_request_never_reuses_a_connection_to_the_nodes_previous_address()
    {
        using var client = _fx.HttpClient();
        (await GetAsync(client, "/hello?nodeName=edge-a")).Should().StartWith("kubelet-a ");

        // edge-a gets a new InternalIP (here the address kubelet-b listens on); the pooled keep-alive connection to
        // the old address must not carry the next request.
        _fx.Directory.Add(new ProxyNode("edge-a", IPAddress.Parse("127.0.0.3"), "gw-a"));

        (await GetAsync(client, "/hello?nodeName=edge-a")).Should().StartWith("kubelet-b ");
    }

    [Fact]
    public async Task Node_with_the_longest_name_kubernetes_allows_is_reached()
    {
        // 253 characters in 63-character labels: the pool key puts a digest label in front of the node name.
        var label = new string('n', 62);
        var longName = $"{label}a.{label}b.{label}c.{new string('d', 61)}";
        longName.Length.Should().Be(253);
        _fx.Directory.Add(new ProxyNode(longName, IPAddress.Parse("127.0.0.2"), "gw-a"));
        using var client = _fx.HttpClient();

        (await GetAsync(client, $"/hello?nodeName={longName}")).Should().StartWith("kubelet-a ");
    }

    private async Task<string> GetAsync(HttpClient client, string pathAndQuery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Host = $"x:{_fx.Port}";
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        return body;
    }

    /// <summary>Sends an upgrade request over a raw connection to the HTTP front end and reads the 101 head.</summary>
    private async Task<NetworkStream> UpgradeAsync(string pathAndQuery, string protocol, string extraHeaders = "")
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_fx.FrontEnd.InsecureEndPoint!);
        var stream = new NetworkStream(socket, ownsSocket: true);
        var head = $"GET {pathAndQuery} HTTP/1.1\r\nHost: x:{_fx.Port}\r\nConnection: Upgrade\r\nUpgrade: {protocol}\r\n" +
            $"X-Stream-Protocol-Version: v4.channel.k8s.io\r\n{extraHeaders}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var responseHead = await RawHttp.ReadUntilAsync(stream, "\r\n\r\n");
        responseHead.Should().StartWith("HTTP/1.1 101");
        responseHead.Should().ContainEquivalentOf($"Upgrade: {protocol}\r\n");
        return stream;
    }
}
