using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Controller.Webhooks;
using static Raven.Controller.Tests.Webhooks.WebhookFixtures;

namespace Raven.Controller.Tests.Webhooks;

/// <summary>Real HTTPS on loopback, trusting only the CA the server generated, addressed by the Service DNS name.</summary>
public sealed class WebhookServerTests : IAsyncLifetime
{
    private const string ServiceHost = "raven-controller-webhook.kube-system.svc";
    private readonly string _certDir = Directory.CreateTempSubdirectory("rvt-webhooks-").FullName;
    private WebhookServer? _server;
    private int _port;

    public async Task InitializeAsync()
    {
        _server = await WebhookServer.StartAsync(
            new WebhookServerOptions { BindAddress = "127.0.0.1:0", CertDir = _certDir, CertReloadInterval = TimeSpan.FromMilliseconds(100) },
            NullLogger.Instance,
            CancellationToken.None);
        _port = new Uri(_server.Url).Port;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_certDir, recursive: true);
    }

    [Fact]
    public void Generated_files_use_the_secret_layout_and_name_the_service()
    {
        File.Exists(Path.Combine(_certDir, "ca.crt")).Should().BeTrue();
        File.Exists(Path.Combine(_certDir, "tls.key")).Should().BeTrue();
        using var serving = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_certDir, "tls.crt")));
        serving.MatchesHostname(ServiceHost).Should().BeTrue();
        serving.MatchesHostname("raven-controller-webhook.kube-system.svc.cluster.local").Should().BeTrue();
    }

    [Fact]
    public async Task Healthz_answers_over_tls()
    {
        var (response, _) = await SendAsync(HttpMethod.Get, "/healthz", null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Mutate_returns_a_json_patch_review()
    {
        var (response, body) = await SendAsync(HttpMethod.Post, GatewayAdmission.MutatePath, AdmissionReview("CREATE", BetaGateway()));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var review = JsonNode.Parse(body)!;
        review["kind"]!.GetValue<string>().Should().Be("AdmissionReview");
        review["response"]!["uid"]!.GetValue<string>().Should().Be(Uid);
        DecodePatch(review["response"]!.AsObject()).Should().HaveCount(2);
    }

    [Fact]
    public async Task Validate_denies_an_invalid_gateway_with_422()
    {
        var gateway = BetaGateway();
        gateway["spec"]!["exposeType"] = "NodePort";

        var (_, body) = await SendAsync(HttpMethod.Post, GatewayAdmission.ValidatePath, AdmissionReview("CREATE", gateway));

        var response = JsonNode.Parse(body)!["response"]!;
        response["allowed"]!.GetValue<bool>().Should().BeFalse();
        response["status"]!["code"]!.GetValue<int>().Should().Be(422);
    }

    [Fact]
    public async Task Convert_answers_a_conversion_review()
    {
        var (_, body) = await SendAsync(HttpMethod.Post, GatewayConversionReview.Path, ConversionReview("raven.openyurt.io/v1beta1", AlphaGateway()));

        var response = JsonNode.Parse(body)!["response"]!;
        response["result"]!["status"]!.GetValue<string>().Should().Be("Success");
        response["convertedObjects"]![0]!["apiVersion"]!.GetValue<string>().Should().Be("raven.openyurt.io/v1beta1");
    }

    [Fact]
    public async Task A_malformed_review_gets_http_400()
    {
        var (response, body) = await SendAsync(HttpMethod.Post, GatewayAdmission.ValidatePath, "{\"kind\":\"Pod\"}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        body.Should().Contain("AdmissionReview");
    }

    [Fact]
    public async Task A_rotated_certificate_is_served_once_its_files_change()
    {
        var (_, _, before) = await HandshakeAsync();

        var rotated = Directory.CreateTempSubdirectory("rvt-webhooks-rotated-").FullName;
        try
        {
            WebhookCertificates.GenerateSelfSigned(rotated, ["raven-controller-webhook", ServiceHost]);
            foreach (var file in new[] { "ca.crt", "tls.key", "tls.crt" })
            {
                WebhookCertificates.WriteAtomically(Path.Combine(_certDir, file), File.ReadAllText(Path.Combine(rotated, file)).TrimEnd());
            }
        }
        finally
        {
            Directory.Delete(rotated, recursive: true);
        }

        using var expected = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_certDir, "tls.crt")));
        expected.Thumbprint.Should().NotBe(before);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        string served;
        do
        {
            (_, _, served) = await HandshakeAsync();
        }
        while (served != expected.Thumbprint && DateTime.UtcNow < deadline && await Pause());

        served.Should().Be(expected.Thumbprint);
        var (response, _) = await SendAsync(HttpMethod.Get, "/healthz", null);
        response.StatusCode.Should().Be(HttpStatusCode.OK, "the rotated certificate chains to the rotated ca.crt");
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(50);
        return true;
    }

    private async Task<(HttpResponseMessage Response, string Body)> SendAsync(HttpMethod method, string path, string? json)
    {
        var (response, body, _) = await SendCoreAsync(method, path, json, trustGeneratedCaOnly: true);
        return (response, body);
    }

    /// <summary>Only observes which certificate is served: during a rotation ca.crt and the served certificate briefly disagree.</summary>
    private Task<(HttpResponseMessage Response, string Body, string Thumbprint)> HandshakeAsync() =>
        SendCoreAsync(HttpMethod.Get, "/healthz", null, trustGeneratedCaOnly: false);

    /// <summary>One fresh connection per call, so every call sees the certificate served at that moment.</summary>
    private async Task<(HttpResponseMessage Response, string Body, string Thumbprint)> SendCoreAsync(HttpMethod method, string path, string? json, bool trustGeneratedCaOnly)
    {
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_certDir, "ca.crt")));
        var served = "";
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _port), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    served = (certificate as X509Certificate2)?.Thumbprint ?? "";
                    return !trustGeneratedCaOnly || TrustedByGeneratedCa(certificate, errors, ca);
                },
            },
        };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(method, $"https://{ServiceHost}:{_port}{path}");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response, body, served);
    }

    private static bool TrustedByGeneratedCa(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 ca)
    {
        // The name must match; only the root is ours rather than the system's.
        if (certificate is not X509Certificate2 leaf || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }
}
