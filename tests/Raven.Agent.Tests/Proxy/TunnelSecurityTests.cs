using System.Net;
using Raven.Agent.Proxy.Certificates;
using Raven.Agent.Proxy.Tunnel;
using Raven.TestSupport;

namespace Raven.Agent.Tests.Proxy;

/// <summary>Port 10262 is not open: TLS client certificates from the cluster CA, naming the node they speak for.</summary>
public sealed class TunnelSecurityTests
{
    [Fact]
    public async Task Tunnel_port_without_client_certificate_is_rejected()
    {
        await using var fixture = await TunnelFixture.StartAsync();
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = CertificateTrust.ServerValidator(fixture.ServerCertificates) },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://{fixture.Server.LocalEndPoint}{TunnelProtocol.ControlPath}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([]),
        };
        request.Headers.Add(TunnelProtocol.NodeHeader, "intruder");

        var call = () => client.SendAsync(request);

        await call.Should().ThrowAsync<HttpRequestException>();
        fixture.Server.ConnectedNodes.Should().BeEmpty();
    }

    [Fact]
    public async Task Client_certificate_from_another_ca_never_connects()
    {
        await using var fixture = await TunnelFixture.StartAsync();
        var stranger = new TestPki("stranger-ca");
        var certificates = new InMemoryCertificateSource();
        certificates.Set(fixture.Pki.Authorities, tunnelClient: stranger.TunnelClient("edge-x"));
        await using var client = new TunnelClient(TunnelFixture.ClientOptions("edge-x"), certificates);

        await client.SetServersAsync([fixture.ServerEndPoint]);

        await Poll.UntilAsync(() => client.Connections.Single().LastError is not null, "the client reports its failure");
        fixture.Server.IsConnected("edge-x").Should().BeFalse();
    }

    [Fact]
    public async Task Client_certificate_for_another_node_is_refused_with_the_reason()
    {
        await using var fixture = await TunnelFixture.StartAsync();
        var certificates = new InMemoryCertificateSource();
        certificates.Set(fixture.Pki.Authorities, tunnelClient: fixture.Pki.TunnelClient("edge-real"));
        await using var client = new TunnelClient(TunnelFixture.ClientOptions("edge-impostor"), certificates);

        await client.SetServersAsync([fixture.ServerEndPoint]);

        await Poll.UntilAsync(() => client.Connections.Single().LastError?.Contains("403", StringComparison.Ordinal) == true,
            "the client reports the refusal");
        client.Connections.Single().LastError.Should().Contain("edge-impostor");
        fixture.Server.IsConnected("edge-impostor").Should().BeFalse();
    }

    [Fact]
    public async Task Changed_client_certificate_reconnects_while_open_streams_keep_working()
    {
        await using var fixture = await TunnelFixture.StartAsync();
        await using var echo = new EchoServer();
        var certificates = fixture.Pki.Source(fixture.Pki.TunnelClient("edge-rot"));
        await fixture.ConnectClientAsync("edge-rot", certificates: certificates);
        var open = await OpenEchoStreamAsync(fixture, echo);

        // A certificate the server does not trust: the reconnect must fail, proving the new one is used at once.
        certificates.Set(fixture.Pki.Authorities, tunnelClient: new TestPki("other-ca").TunnelClient("edge-rot"));
        await Poll.UntilAsync(() => !fixture.Server.IsConnected("edge-rot"), "the session with the old certificate ended");

        var payload = new byte[200_000];
        Random.Shared.NextBytes(payload);
        await open.WriteAsync(payload);
        await open.CompleteWritesAsync();
        (await TunnelProtocolTests.ReadToEndAsync(open)).Should().Equal(payload);
        await open.DisposeAsync();

        certificates.Set(fixture.Pki.Authorities, tunnelClient: fixture.Pki.TunnelClient("edge-rot"));
        await Poll.UntilAsync(() => fixture.Server.IsConnected("edge-rot"), "the client reconnected with a trusted certificate");
        await using var fresh = await OpenEchoStreamAsync(fixture, echo);
    }

    private static async Task<TunnelStream> OpenEchoStreamAsync(TunnelFixture fixture, EchoServer echo)
    {
        var result = await fixture.Server.DialAsync("edge-rot", echo.EndPoint, CancellationToken.None);
        result.Status.Should().Be(TunnelDialStatus.Connected, result.Error);
        return result.Stream!;
    }
}
