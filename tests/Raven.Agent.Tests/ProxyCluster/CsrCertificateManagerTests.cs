using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Raven.Agent.Proxy.Certificates;
using Raven.Agent.Tests.Proxy;
using Raven.Kube.Client;
using Raven.TestSupport;
using k8s;

namespace Raven.Agent.Tests.ProxyCluster;

/// <summary>One certificate manager against the embedded API server and the controller's approver.</summary>
public sealed class CsrCertificateManagerTests : IAsyncLifetime
{
    private ProxyTestCluster _cluster = null!;
    private string _state = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ProxyTestCluster.StartAsync();
        _cluster.StartController();
        _state = Directory.CreateTempSubdirectory("rvt-proxycsr-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_state, recursive: true);
    }

    private CsrCertificateManager NewManager() => new(ProxyCertificateProfile.TunnelClient, "edge-1", _state, _cluster.Client,
        CertificateSans.None, () => [_cluster.Server.CertificateAuthority.Certificate],
        new CsrCertificateManagerOptions { PollInterval = TimeSpan.FromMilliseconds(100), Identity = CsrRequesterIdentity.Node("edge-1") });

    /// <summary>Stores a tunnel-client certificate from the cluster CA that has lived <paramref name="elapsed"/> of 100 days.</summary>
    private string StoreCertificate(double elapsed)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = TestPki.SigningRequest(ProxyCertificateProfile.TunnelClient.Subject(), key, CertificateTrust.ClientAuth);
        var notBefore = DateTimeOffset.UtcNow.AddDays(-100 * elapsed);
        using var issued = _cluster.Server.CertificateAuthority.Sign(request, notBefore, notBefore.AddDays(100));
        new CertificateFileStore(_state, ProxyCertificateProfile.TunnelClient.FilePrefix).Save(issued.ExportCertificatePem(), key);
        return issued.Thumbprint;
    }

    private async Task<int> CsrCountAsync() => (await _cluster.Client.Api.CertificatesV1.ListCertificateSigningRequestAsync()).Items.Count;

    [Fact]
    public async Task A_stored_certificate_in_the_first_80_percent_is_used_without_a_csr()
    {
        var stored = StoreCertificate(0.5);
        await using var manager = NewManager();

        manager.Start();
        await manager.Ready.WaitAsync(TimeSpan.FromSeconds(10));

        manager.Current!.Thumbprint.Should().Be(stored);
        manager.Current.HasPrivateKey.Should().BeTrue();
        (await CsrCountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_stored_certificate_past_80_percent_serves_at_once_and_is_renewed()
    {
        var stored = StoreCertificate(0.85);
        await using var manager = NewManager();
        var changes = 0;
        manager.Changed += (_, _) => Interlocked.Increment(ref changes);

        manager.Start();
        await manager.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        await Poll.UntilAsync(() => Volatile.Read(ref changes) == 2, "the stored certificate, then the renewed one", TimeSpan.FromSeconds(30));

        manager.Current!.Thumbprint.Should().NotBe(stored);
        (await CsrCountAsync()).Should().Be(1);
        manager.Current!.NotAfter.Should().BeAfter(DateTime.Now.AddDays(300), "the embedded server issues for a year");
        using var onDisk = new CertificateFileStore(_state, ProxyCertificateProfile.TunnelClient.FilePrefix).Load(out _);
        onDisk!.Thumbprint.Should().Be(manager.Current.Thumbprint);
    }

    [Fact]
    public async Task A_stored_certificate_from_another_ca_is_replaced()
    {
        using var otherCa = new TestPki("other-ca");
        var (pem, key, _) = otherCa.Issue(ProxyCertificateProfile.TunnelClient, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10));
        new CertificateFileStore(_state, ProxyCertificateProfile.TunnelClient.FilePrefix).Save(pem, key);
        await using var manager = NewManager();

        manager.Start();
        await manager.Ready.WaitAsync(TimeSpan.FromSeconds(30));

        manager.Current!.Issuer.Should().Be(_cluster.Server.CertificateAuthority.Certificate.Subject);
        (await CsrCountAsync()).Should().Be(1);
    }
}
