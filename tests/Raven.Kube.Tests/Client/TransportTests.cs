using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Raven.Kube.Client;
using Raven.Kube.Client.Config;
using Raven.Kube.Models;

namespace Raven.Kube.Tests.Client;

/// <summary>The real transport against real Kestrel servers on a Unix socket and on 127.0.0.1.</summary>
public sealed class TransportTests
{
    private const string NodeJson = """{"apiVersion":"v1","kind":"Node","metadata":{"name":"edge-1"},"status":{"addresses":[{"type":"InternalIP","address":"192.0.2.10"}]}}""";

    private static async Task Answer(HttpContext context, Action<HttpRequest>? observe = null)
    {
        observe?.Invoke(context.Request);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(context.Request.Path == "/api/v1/nodes/edge-1" ? NodeJson : "{}");
    }

    [Fact]
    public async Task Unix_socket_servers_are_reached_through_the_socket()
    {
        using var dir = new TempDir();
        var socket = Path.Combine(dir.Path, "api.sock");
        string? host = null;
        string? agent = null;
        await using var server = await TestServer.StartAsync(o => o.ListenUnixSocket(socket), c => Answer(c, r =>
        {
            host = r.Host.Value;
            agent = r.Headers.UserAgent;
        }));
        var config = KubeConfigBuilder.Build(KubeConfigParser.Parse($$$"""
            current-context: local
            clusters: [{name: local, cluster: {server: "unix://{{{socket}}}"}}]
            contexts: [{name: local, context: {cluster: local}}]
            """, "test"));
        using var client = new KubeClient(config);

        var node = await client.GetAsync<Node>("edge-1");

        node.Address(Node.AddressInternalIP).Should().Be("192.0.2.10");
        host.Should().Be("localhost");
        agent.Should().StartWith("raven/");
    }

    [Fact]
    public async Task Tls_servers_are_trusted_only_through_the_configured_ca()
    {
        using var ca = Ca();
        using var serverCertificate = Issue(ca, "CN=kube-apiserver");
        string? authorization = null;
        await using var server = await TestServer.StartAsync(
            o => o.Listen(IPAddress.Loopback, 0, l => l.UseHttps(serverCertificate)),
            c => Answer(c, r => authorization = r.Headers.Authorization));
        var url = new Uri(server.Address);
        var trusted = new KubeClientConfig { Server = url, CaCertificates = [X509CertificateLoader.LoadCertificate(ca.RawData)], Token = new StaticTokenSource("t0ken") };

        using (var client = new KubeClient(trusted))
        {
            (await client.GetAsync<Node>("edge-1")).Metadata.Name.Should().Be("edge-1");
            authorization.Should().Be("Bearer t0ken");
        }

        using (var untrusted = new KubeClient(new KubeClientConfig { Server = url }))
        {
            var act = () => untrusted.GetAsync<Node>("edge-1");
            await act.Should().ThrowAsync<HttpRequestException>();
        }

        using (var wrongName = new KubeClient(trusted.WithTlsServerName("other.example")))
        {
            var act = () => wrongName.GetAsync<Node>("edge-1");
            await act.Should().ThrowAsync<HttpRequestException>("the certificate is for 127.0.0.1, not other.example");
        }

        using (var renamed = new KubeClient(trusted.WithTlsServerName("kube.internal")))
        {
            (await renamed.GetAsync<Node>("edge-1")).Metadata.Name.Should().Be("edge-1", "tls-server-name matches the certificate");
        }

        using (var insecure = new KubeClient(new KubeClientConfig { Server = url, InsecureSkipTlsVerify = true }))
        {
            (await insecure.GetAsync<Node>("edge-1")).Metadata.Name.Should().Be("edge-1");
        }
    }

    [Fact]
    public async Task Client_certificates_are_presented()
    {
        using var ca = Ca();
        using var serverCertificate = Issue(ca, "CN=kube-apiserver");
        using var clientCertificate = Issue(ca, "CN=tunnel-agent-client, O=openyurt:yurttunnel");
        string? subject = null;
        await using var server = await TestServer.StartAsync(
            o => o.Listen(IPAddress.Loopback, 0, l => l.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = serverCertificate,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                ClientCertificateValidation = (_, _, _) => true,
            })),
            async c =>
            {
                subject = (await c.Connection.GetClientCertificateAsync())?.Subject;
                await Answer(c);
            });
        var config = new KubeClientConfig
        {
            Server = new Uri(server.Address),
            CaCertificates = [X509CertificateLoader.LoadCertificate(ca.RawData)],
            ClientCertificate = clientCertificate,
        };
        using var client = new KubeClient(config);

        await client.GetAsync<Node>("edge-1");

        subject.Should().Contain("CN=tunnel-agent-client");
    }

    private static X509Certificate2 Ca()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=rvt-test-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("kube.internal");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        // Kestrel on Linux wants a certificate whose key it can export into its own store.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}

internal static class ConfigExtensions
{
    public static KubeClientConfig WithTlsServerName(this KubeClientConfig config, string name) => new()
    {
        Server = config.Server,
        CaCertificates = config.CaCertificates,
        Token = config.Token,
        TlsServerName = name,
    };
}
