using Raven.Agent.Proxy.Certificates;
using Raven.Kube.Client.Config;
using Raven.TestSupport;
using k8s;

namespace Raven.Agent.Tests.ProxyCluster;

public sealed class ClusterTrustTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rvt-proxytrust-").FullName;
    private readonly TestPki _options = new("options-ca");
    private readonly TestPki _mounted = new("mounted-ca");
    private readonly TestPki _kubeconfig = new("kubeconfig-ca");

    public void Dispose()
    {
        _options.Dispose();
        _mounted.Dispose();
        _kubeconfig.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private KubeEndpoint Config => KubeEndpoint.From(new KubernetesClientConfiguration { Host = "https://127.0.0.1:6443", SslCaCerts = [_kubeconfig.Authority] }, "test");

    private string Mounted()
    {
        var path = Path.Combine(_dir, "ca.crt");
        File.WriteAllText(path, _mounted.Authority.ExportCertificatePem());
        return path;
    }

    [Fact]
    public void Explicit_pem_wins_over_the_mounted_and_kubeconfig_cas()
    {
        ClusterTrust.Load(_options.Authority.ExportCertificatePem(), null, Config, Mounted()).Single().Subject.Should().Be("CN=options-ca");
    }

    [Fact]
    public void The_mounted_service_account_ca_wins_over_the_kubeconfig()
    {
        ClusterTrust.Load(null, null, Config, Mounted()).Single().Subject.Should().Be("CN=mounted-ca");
    }

    [Fact]
    public void The_kubeconfig_ca_is_the_last_resort()
    {
        ClusterTrust.Load(null, null, Config, Path.Combine(_dir, "absent.crt")).Single().Subject.Should().Be("CN=kubeconfig-ca");
    }

    [Fact]
    public void A_pem_without_certificates_is_a_clear_error()
    {
        var act = () => ClusterTrust.Load("not a pem", null, Config, Mounted());

        act.Should().Throw<ArgumentException>().WithMessage("the configured cluster CA PEM: contains no certificate*");
    }
}
