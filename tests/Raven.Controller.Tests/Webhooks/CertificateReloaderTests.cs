using Microsoft.Extensions.Logging.Abstractions;
using Raven.Controller.Webhooks;

namespace Raven.Controller.Tests.Webhooks;

public sealed class CertificateReloaderTests : IDisposable
{
    private static readonly string[] Names = ["raven-controller-webhook", "raven-controller-webhook.kube-system.svc"];
    private readonly string _dir = Directory.CreateTempSubdirectory("rvt-webhooks-reload-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Unchanged_files_are_not_reloaded()
    {
        WebhookCertificates.GenerateSelfSigned(_dir, Names);
        using var reloader = new CertificateReloader(_dir, NullLogger.Instance);
        var first = reloader.Current;

        reloader.ReloadIfChanged().Should().BeFalse();
        reloader.Current.Should().BeSameAs(first);
    }

    [Fact]
    public void A_half_written_pair_keeps_the_old_certificate_until_the_pair_matches()
    {
        WebhookCertificates.GenerateSelfSigned(_dir, Names);
        using var reloader = new CertificateReloader(_dir, NullLogger.Instance);
        var first = reloader.Current.Thumbprint;
        var next = Directory.CreateTempSubdirectory("rvt-webhooks-next-").FullName;
        try
        {
            WebhookCertificates.GenerateSelfSigned(next, Names);

            // cert-manager may land the key before the certificate: that pair does not load.
            File.Copy(Path.Combine(next, "tls.key"), Path.Combine(_dir, "tls.key"), overwrite: true);
            reloader.ReloadIfChanged().Should().BeFalse();
            reloader.Current.Thumbprint.Should().Be(first);

            File.Copy(Path.Combine(next, "tls.crt"), Path.Combine(_dir, "tls.crt"), overwrite: true);
            reloader.ReloadIfChanged().Should().BeTrue();
            reloader.Current.Thumbprint.Should().NotBe(first);
            reloader.Current.HasPrivateKey.Should().BeTrue();
        }
        finally
        {
            Directory.Delete(next, recursive: true);
        }
    }

    [Fact]
    public void Generated_serving_certificate_is_not_a_ca_and_covers_every_name()
    {
        WebhookCertificates.GenerateSelfSigned(_dir, Names);
        using var reloader = new CertificateReloader(_dir, NullLogger.Instance);

        foreach (var name in Names)
        {
            reloader.Current.MatchesHostname(name).Should().BeTrue(name);
        }

        reloader.Current.MatchesHostname("other.kube-system.svc").Should().BeFalse();
        reloader.Current.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension>()
            .Single().CertificateAuthority.Should().BeFalse();
    }
}
