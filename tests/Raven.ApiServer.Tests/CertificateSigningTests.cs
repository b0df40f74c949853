using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Raven.ApiServer.Tests;

public class CertificateSigningTests
{
    private const string Csrs = "/apis/certificates.k8s.io/v1/certificatesigningrequests";

    private static JsonObject Csr(string name, string signer, CertificateRequest request) => new()
    {
        ["apiVersion"] = "certificates.k8s.io/v1",
        ["kind"] = "CertificateSigningRequest",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["request"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(request.CreateSigningRequestPem())),
            ["signerName"] = signer,
            ["usages"] = new JsonArray("digital signature", "server auth"),
        },
    };

    private static async Task<JsonObject> ApproveAsync(TestApiServer server, string name)
    {
        var (_, csr) = await server.GetAsync($"{Csrs}/{name}");
        csr["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Approved", ["status"] = "True", ["reason"] = "Test", ["message"] = "approved by test",
            }),
        };
        var (code, body) = await server.PutAsync($"{Csrs}/{name}/approval", csr);
        code.Should().Be(200, body.ToJsonString());
        return (await server.GetAsync($"{Csrs}/{name}")).Body;
    }

    [Fact]
    public async Task Approved_kubelet_serving_request_is_signed_with_its_sans_by_the_server_ca()
    {
        await using var server = await TestApiServer.StartAsync(o => o.CertificateValidity = TimeSpan.FromDays(30));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=system:node:tunnel-proxy-server,O=system:nodes", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Parse("192.0.2.10"));
        san.AddDnsName("proxy.example");
        request.CertificateExtensions.Add(san.Build());
        await server.CreateAsync(Csrs, Csr("serving", "kubernetes.io/kubelet-serving", request).ToJsonString());
        (await server.GetAsync($"{Csrs}/serving")).Body["status"]!.AsObject().ContainsKey("certificate").Should().BeFalse();

        var signed = await ApproveAsync(server, "serving");
        var pem = Encoding.ASCII.GetString(Convert.FromBase64String(signed["status"]!["certificate"]!.GetValue<string>()));
        using var cert = X509Certificate2.CreateFromPem(pem);
        server.Server.CertificateAuthority.Issued(cert).Should().BeTrue();
        cert.Subject.Should().Contain("CN=system:node:tunnel-proxy-server");
        var sans = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        sans.EnumerateIPAddresses().Select(i => i.ToString()).Should().Contain("192.0.2.10");
        sans.EnumerateDnsNames().Should().Contain("proxy.example");
        cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages[0].Value.Should().Be("1.3.6.1.5.5.7.3.1");
        (cert.NotAfter - cert.NotBefore).Should().BeLessThan(TimeSpan.FromDays(31));
        server.Server.CaCertificatePem.Should().Contain("BEGIN CERTIFICATE");
    }

    [Fact]
    public async Task Unknown_signers_and_unapproved_requests_are_left_alone()
    {
        await using var server = await TestApiServer.StartAsync();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=someone", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        await server.CreateAsync(Csrs, Csr("other", "example.com/custom", request).ToJsonString());
        var approved = await ApproveAsync(server, "other");
        approved["status"]!.AsObject().ContainsKey("certificate").Should().BeFalse();
        approved["status"]!["conditions"]![0]!["type"]!.GetValue<string>().Should().Be("Approved");
    }

    [Fact]
    public async Task A_request_that_is_no_pem_certificate_request_is_refused_at_create()
    {
        await using var server = await TestApiServer.StartAsync();
        var csr = new JsonObject
        {
            ["apiVersion"] = "certificates.k8s.io/v1",
            ["kind"] = "CertificateSigningRequest",
            ["metadata"] = new JsonObject { ["name"] = "junk" },
            ["spec"] = new JsonObject
            {
                ["request"] = Convert.ToBase64String(Encoding.ASCII.GetBytes("not a pem")),
                ["signerName"] = "kubernetes.io/kube-apiserver-client",
                ["usages"] = new JsonArray("client auth"),
            },
        };
        var (code, status) = await server.PostAsync(Csrs, csr);
        code.Should().Be(422, status.ToJsonString());
        status["message"]!.GetValue<string>().Should().Be(
            "CertificateSigningRequest.certificates.k8s.io \"junk\" is invalid: spec.request: Invalid value: []byte{...}: PEM block type must be CERTIFICATE REQUEST");
        (await server.GetAsync(Csrs + "/junk")).Code.Should().Be(404);
    }
}
