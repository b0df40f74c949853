using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Raven.Controller.Certificates;
using Raven.TestSupport;

namespace Raven.Controller.Tests.Certificates;

public class ProxyCsrPolicyTests
{
    private static string Request(string subject) => TestPki.SigningRequestPem(subject);

    private static CsrFacts Csr(string signer, string subject, string user = "system:node:edge-1", params string[] usages) =>
        new(signer, usages, user, user.StartsWith("system:node:", StringComparison.Ordinal) ? ["system:nodes", "system:authenticated"] : ["system:serviceaccounts"], Request(subject));

    [Fact]
    public void The_three_raven_certificates_are_approved()
    {
        ProxyCsrPolicy.Decide(Csr(ProxyCsrPolicy.KubeletServingSigner, "CN=system:node:tunnel-proxy-server, O=system:nodes", "system:node:cloud-1",
            "digital signature", "key encipherment", "server auth")).Kind.Should().Be(ProxyCertificateKind.ProxyServer);
        ProxyCsrPolicy.Decide(Csr(ProxyCsrPolicy.ApiServerClientSigner, "CN=tunnel-proxy-client, O=openyurt:yurttunnel", ProxyCsrPolicy.AgentServiceAccount,
            "digital signature", "key encipherment", "client auth")).Kind.Should().Be(ProxyCertificateKind.ProxyUser);
        ProxyCsrPolicy.Decide(Csr(ProxyCsrPolicy.ApiServerClientSigner, "CN=tunnel-agent-client, O=openyurt:yurttunnel", "system:node:edge-1",
            "client auth")).Kind.Should().Be(ProxyCertificateKind.AgentClient);
    }

    [Theory]
    [InlineData("kubernetes.io/kube-apiserver-client", "CN=system:node:tunnel-proxy-server, O=system:nodes", "server auth")]
    [InlineData("kubernetes.io/kubelet-serving", "CN=system:node:tunnel-proxy-server, O=system:masters", "server auth")]
    [InlineData("kubernetes.io/kube-apiserver-client", "CN=tunnel-proxy-client, O=openyurt:yurttunnel", "server auth")]
    [InlineData("kubernetes.io/kube-apiserver-client", "CN=admin, O=system:masters", "client auth")]
    [InlineData("kubernetes.io/kube-apiserver-client", "CN=tunnel-proxy-client, O=openyurt:yurttunnel, O=system:masters", "client auth")]
    public void Anything_else_is_left_alone(string signer, string subject, string usage)
    {
        ProxyCsrPolicy.Decide(Csr(signer, subject, "system:node:edge-1", usage)).Approve.Should().BeFalse();
    }

    [Fact]
    public void A_raven_subject_from_an_untrusted_requester_is_left_alone()
    {
        var verdict = ProxyCsrPolicy.Decide(Csr(ProxyCsrPolicy.ApiServerClientSigner, "CN=tunnel-proxy-client, O=openyurt:yurttunnel", "mallory", "client auth"));

        verdict.Approve.Should().BeFalse();
        verdict.Reason.Should().Contain("mallory");
    }

    [Fact]
    public void A_garbled_request_is_not_approved()
    {
        var facts = new CsrFacts(ProxyCsrPolicy.ApiServerClientSigner, ["client auth"], "system:node:x", ["system:nodes"], "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----");

        ProxyCsrPolicy.Decide(facts).Approve.Should().BeFalse();
    }
}
