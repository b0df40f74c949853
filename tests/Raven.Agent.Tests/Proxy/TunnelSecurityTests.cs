using System.Net;
using Raven.Agent.Proxy.Certificates;
using Raven.Agent.Proxy.Tunnel;

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
}
