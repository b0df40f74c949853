using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Models;
using Raven.Agent.Tunnel.IPsec;
using Raven.Api;
using Raven.Api.Schema;
using Raven.Cli.Diagnose;
using Raven.Cli.Tests.Status;
using Raven.Kube.Models;

namespace Raven.Cli.Tests.Diagnose;

/// <summary>
/// A healthy cluster for the pure diagnosis, built on the status tests' two domains: every node with a pod CIDR,
/// the shipped Gateway CRD, raven-agent-config on WireGuard, the PSK Secret, both webhooks with a CA valid a year.
/// </summary>
internal sealed class DiagnoseFixture
{
    public DiagnoseFixture()
    {
        var i = 0;
        foreach (var node in Cluster.Nodes)
        {
            node.Spec = new V1NodeSpec { PodCIDR = $"10.244.{++i}.0/24" };
        }
    }

    public ClusterFixture Cluster { get; } = ClusterFixture.TwoDomains();

    /// <summary>The CRD exactly as deploy/crds ships it, as the server returns it.</summary>
    public V1CustomResourceDefinition? Crd { get; set; } = KubernetesJson.Deserialize<V1CustomResourceDefinition>(GatewayCrd.Definition().ToJsonString());

    public Dictionary<string, string>? AgentConfig { get; set; } = new() { ["vpn-driver"] = "wireguard" };

    public List<string>? SecretKeys { get; set; } = [PresharedKey.SecretKey];

    public List<WebhookConfiguration>? Webhooks { get; set; } =
    [
        Webhook("ValidatingWebhookConfiguration", CaBundle(ClusterFixture.Now.AddDays(-1), ClusterFixture.Now.AddDays(365))),
        Webhook("MutatingWebhookConfiguration", CaBundle(ClusterFixture.Now.AddDays(-1), ClusterFixture.Now.AddDays(365))),
    ];

    public Dictionary<string, string> Unreadable { get; } = [];

    public List<BlockAffinity> CalicoBlocks { get; } = [];

    /// <summary>Makes <paramref name="node"/> a Calico node (its pod CIDRs come from block affinities, not spec.podCIDR).</summary>
    public DiagnoseFixture Calico(string node, params string[] confirmedBlocks)
    {
        var found = Cluster.Nodes.Single(n => n.Metadata.Name == node);
        found.Spec = new V1NodeSpec();
        found.Metadata.Annotations = new Dictionary<string, string> { ["projectcalico.org/IPv4Address"] = "172.16.2.4/24" };
        CalicoBlocks.AddRange(confirmedBlocks.Select(cidr => new BlockAffinity
        {
            Metadata = new() { Name = $"{node}-{cidr.Replace('/', '-')}" },
            Spec = new BlockAffinitySpec { Cidr = cidr, Node = node, State = BlockAffinity.StateConfirmed },
        }));
        return this;
    }

    /// <summary>Ready endpoints of the webhooks' Service (null: the Service does not exist).</summary>
    public Dictionary<string, int?> WebhookServiceEndpoints { get; } = new() { [WebhookService] = 2 };

    public const string WebhookService = "kube-system/raven-controller-webhook";

    /// <summary>The API server's answers to the dry-run Gateway creates; healthy: admitted in v1beta1.</summary>
    public List<WebhookDryRun> WebhookDryRuns { get; } = [new(WellKnown.V1Beta1, Admitted: true)];

    public DiagnoseSnapshot Snapshot() =>
        new(Cluster.Snapshot(), Crd, AgentConfig, SecretKeys, Webhooks, CalicoBlocks)
        {
            Unreadable = Unreadable, WebhookServiceEndpoints = WebhookServiceEndpoints, WebhookDryRuns = WebhookDryRuns,
        };

    public DiagnoseReport Run() => Diagnosis.Run(Snapshot(), ClusterFixture.Now);

    public DiagnoseFixture PodCidr(string node, string? cidr)
    {
        Cluster.Nodes.Single(n => n.Metadata.Name == node).Spec = new V1NodeSpec { PodCIDR = cidr };
        return this;
    }

    public static WebhookConfiguration Webhook(string kind, byte[]? caBundle, string group = WellKnown.Group) =>
        new(kind, "raven-controller-" + kind.ToLowerInvariant(), "gateway." + group, [group], caBundle, WebhookService)
        {
            ServiceRef = ("kube-system", "raven-controller-webhook"),
        };

    /// <summary>A self-signed CA certificate valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>, as PEM bytes.</summary>
    public static byte[] CaBundle(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=raven-webhook-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return Encoding.ASCII.GetBytes(certificate.ExportCertificatePem());
    }
}
