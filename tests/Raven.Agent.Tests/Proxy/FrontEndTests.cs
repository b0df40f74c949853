using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Raven.Agent.Tests.Proxy;

/// <summary>The HTTP/HTTPS front ends end to end: caller → front end → tunnel → proxy client → fake kubelet.</summary>
public sealed class FrontEndTests : IAsyncLifetime
{
    private FrontEndFixture _fx = null!;

    public async Task InitializeAsync() => _fx = await FrontEndFixture.StartAsync();

    public async Task DisposeAsync() => await _fx.DisposeAsync();

    [Fact]
    public async Task NodeName_query_routes_by_node_even_when_domains_share_address_and_port()
    {
        using var client = _fx.HttpClient();

        var a = await GetAsync(client, "/hello?a=1&nodeName=edge-a&b=2", $"10.96.0.10:{_fx.Port}");
        var b = await GetAsync(client, "/hello?nodeName=edge-b", $"10.96.0.10:{_fx.Port}");

        a.Should().Be($"kubelet-a GET /hello?a=1&b=2 host=127.0.0.2:{_fx.Port} client=none");
        b.Should().StartWith("kubelet-b GET /hello host=");
    }

    [Fact]
    public async Task Tunnel_proxy_headers_route_to_the_named_node_and_port()
    {
        using var client = _fx.HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Add("X-Tunnel-Proxy-Host", "edge-b");
        request.Headers.Add("X-Tunnel-Proxy-Dest", $"127.0.0.1:{_fx.Port}");

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().StartWith("kubelet-b GET /hello ");
    }

    [Fact]
    public async Task Host_name_routes_and_a_node_of_our_own_domain_is_dialed_directly()
    {
        using var client = _fx.HttpClient();

        var answer = await GetAsync(client, "/hello", $"cloud-1:{_fx.Port}");

        answer.Should().StartWith("kubelet-local GET /hello ");
    }

    [Fact]
    public async Task Kubelet_exec_path_finds_the_node_through_the_pod()
    {
        using var client = _fx.HttpClient();

        var answer = await GetAsync(client, "/exec/default/web-1/main?command=ls", $"10.96.0.10:{_fx.Port}");

        answer.Should().StartWith("kubelet-b GET /exec/default/web-1/main?command=ls ");
    }

    [Fact]
    public async Task Request_bodies_are_forwarded()
    {
        using var client = _fx.HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo-body?nodeName=edge-a")
        {
            Content = new ByteArrayContent(new byte[300_000]),
        };
        request.Headers.Host = $"x:{_fx.Port}";

        using var response = await client.SendAsync(request);

        (await response.Content.ReadAsStringAsync()).Should().Be("kubelet-a got 300000 bytes");
    }

    [Fact]
    public async Task Chunked_streaming_response_arrives_incrementally()
    {
        using var client = _fx.HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/stream?nodeName=edge-a");
        request.Headers.Host = $"x:{_fx.Port}";
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.Headers.TransferEncodingChunked.Should().BeTrue();
        await using var body = await response.Content.ReadAsStreamAsync();

        // The kubelet holds the second chunk until we have seen the first: a buffering proxy would never deliver it.
        var first = await RawHttp.ReadUntilAsync(body, "first\n");
        _fx.KubeletA.StreamGate.SetResult();
        var rest = await new StreamReader(body).ReadToEndAsync();

        first.Should().Be("first\n");
        rest.Should().Be("second\n");
    }

    [Fact]
    public async Task Upgrade_is_spliced_and_echoes_both_ways()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_fx.FrontEnd.InsecureEndPoint!);
        await using var stream = new NetworkStream(socket);
        var head = $"GET /upgrade?nodeName=edge-b HTTP/1.1\r\nHost: x:{_fx.Port}\r\nConnection: Upgrade\r\nUpgrade: raven-echo\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        var responseHead = await RawHttp.ReadUntilAsync(stream, "\r\n\r\n");
        responseHead.Should().StartWith("HTTP/1.1 101");
        foreach (var message in new[] { "ping", new string('x', 20_000), "pong" })
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(message));
            (await RawHttp.ReadExactlyAsync(stream, message.Length)).Should().Be(message);
        }
    }

    [Fact]
    public async Task Upgrade_through_the_https_front_end_reaches_an_https_target()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_fx.FrontEnd.SecureEndPoint!);
        await using var tls = new System.Net.Security.SslStream(new NetworkStream(socket));
        await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            ClientCertificates = [_fx.Tunnel.Pki.Issue("CN=kube-apiserver-kubelet-client", Raven.Agent.Proxy.Certificates.CertificateTrust.ClientAuth)],
            RemoteCertificateValidationCallback = Raven.Agent.Proxy.Certificates.CertificateTrust.ServerValidator(_fx.Tunnel.ServerCertificates),
        });
        var head = $"GET /upgrade?nodeName=edge-a HTTP/1.1\r\nHost: 127.0.0.1:{_fx.SecureKubeletA.Port}\r\n" +
            "Connection: Upgrade\r\nUpgrade: raven-echo\r\n\r\n";
        await tls.WriteAsync(Encoding.ASCII.GetBytes(head));

        (await RawHttp.ReadUntilAsync(tls, "\r\n\r\n")).Should().StartWith("HTTP/1.1 101");
        await tls.WriteAsync("over tls"u8.ToArray());
        (await RawHttp.ReadExactlyAsync(tls, 8)).Should().Be("over tls");
    }

    [Fact]
    public async Task Https_front_end_re_originates_tls_with_the_proxy_user_certificate()
    {
        using var client = _fx.HttpsClient(withCertificate: true);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami?nodeName=edge-a");
        // Not the Host header: over HTTPS it also names the server certificate the caller expects.
        request.Headers.Add("X-Tunnel-Proxy-Dest", $"127.0.0.2:{_fx.SecureKubeletA.Port}");

        using var response = await client.SendAsync(request);
        var answer = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, answer);
        answer.Should().StartWith("kubelet-a-secure GET /whoami ").And.Contain("CN=tunnel-proxy-client");
    }

    [Fact]
    public async Task Https_front_end_without_client_certificate_is_rejected()
    {
        using var client = _fx.HttpsClient(withCertificate: false);

        var call = () => client.GetAsync("/hello?nodeName=edge-a");

        await call.Should().ThrowAsync<HttpRequestException>();
    }

    [Fact]
    public async Task Port_not_listed_is_403_naming_the_port()
    {
        using var client = _fx.HttpClient();

        var (status, body) = await SendAsync(client, "/hello?nodeName=edge-a", "x:9");

        status.Should().Be(HttpStatusCode.Forbidden);
        body.Should().Contain("port 9 ");
    }

    [Fact]
    public async Task Unknown_node_is_404_naming_it()
    {
        using var client = _fx.HttpClient();

        var (status, body) = await SendAsync(client, "/hello?nodeName=ghost-node", $"x:{_fx.Port}");

        status.Should().Be(HttpStatusCode.NotFound);
        body.Should().Contain("\"ghost-node\"");
    }

    [Fact]
    public async Task Node_whose_gateway_has_no_elected_proxy_gateway_is_503()
    {
        using var client = _fx.HttpClient();

        var (status, body) = await SendAsync(client, "/hello?nodeName=lonely", $"x:{_fx.Port}");

        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        body.Should().Contain("no elected proxy gateway").And.Contain("gw-unelected");
    }

    [Fact]
    public async Task Elected_proxy_gateway_without_a_connected_client_is_503_naming_it()
    {
        using var client = _fx.HttpClient();

        var (status, body) = await SendAsync(client, "/hello?nodeName=edge-c", $"x:{_fx.Port}");

        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        body.Should().Contain("gw-c-node");
    }

    [Fact]
    public async Task Target_refusing_the_connection_is_502_with_the_edges_reason()
    {
        using var client = _fx.HttpClient();

        // 10255 is an allowed kubelet port; nothing listens on 127.0.0.2:10255.
        var (status, body) = await SendAsync(client, "/hello?nodeName=edge-a", "x:10255");

        status.Should().Be(HttpStatusCode.BadGateway);
        body.Should().Contain("gw-a-node").And.Contain("127.0.0.2:10255");
    }

    [Fact]
    public async Task Ip_literal_host_without_node_name_is_400()
    {
        using var client = _fx.HttpClient();

        var (status, body) = await SendAsync(client, "/hello", $"127.0.0.2:{_fx.Port}");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.Should().Contain("IP address");
    }

    [Fact]
    public async Task Http_front_end_refuses_sources_outside_the_allowed_cidrs()
    {
        await using var strict = await FrontEndFixture.StartFrontEndAsync(_fx.Tunnel, _fx.Directory,
            [IPNetwork.Parse("10.0.0.0/8")]);
        using var client = new HttpClient { BaseAddress = new Uri($"http://{strict.InsecureEndPoint}") };

        var (status, body) = await SendAsync(client, "/hello?nodeName=edge-a", $"x:{_fx.Port}");

        status.Should().Be(HttpStatusCode.Forbidden);
        body.Should().Contain("127.0.0.1").And.Contain("10.0.0.0/8");
    }

    private static async Task<string> GetAsync(HttpClient client, string pathAndQuery, string host)
    {
        var (status, body) = await SendAsync(client, pathAndQuery, host);
        status.Should().Be(HttpStatusCode.OK, body);
        return body;
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, string pathAndQuery, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
