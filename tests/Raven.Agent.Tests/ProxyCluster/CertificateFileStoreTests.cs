using Raven.Agent.Proxy.Certificates;
using Raven.TestSupport;

namespace Raven.Agent.Tests.ProxyCluster;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CertificateFileStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rvt-proxycerts-").FullName;
    private readonly TestPki _pki = new();

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Saves_key_and_certificate_in_the_certs_folder_readable_by_the_owner_only()
    {
        var store = new CertificateFileStore(_dir, "raven-proxy-user");
        var (pem, key, _) = _pki.Issue(ProxyCertificateProfile.ProxyUser, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));

        store.Save(pem, key);

        store.CurrentPath.Should().Be(Path.Combine(_dir, "certs", "raven-proxy-user-current.pem"));
        File.GetUnixFileMode(store.CurrentPath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.ReadAllText(store.CurrentPath).Should().Contain("BEGIN CERTIFICATE").And.Contain("BEGIN PRIVATE KEY");
    }

    [Fact]
    public void Loads_what_it_saved_with_the_private_key()
    {
        var store = new CertificateFileStore(_dir, "raven-proxy-server");
        var (pem, key, issued) = _pki.Issue(ProxyCertificateProfile.Server, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
        store.Save(pem, key);

        using var loaded = store.Load(out var problem);

        problem.Should().BeNull();
        loaded!.Thumbprint.Should().Be(issued.Thumbprint);
        loaded.HasPrivateKey.Should().BeTrue();
    }

    [Fact]
    public void A_second_save_replaces_the_first_and_keeps_the_mode()
    {
        var store = new CertificateFileStore(_dir, "raven-proxy-client");
        var first = _pki.Issue(ProxyCertificateProfile.TunnelClient, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
        var second = _pki.Issue(ProxyCertificateProfile.TunnelClient, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(2));
        store.Save(first.Pem, first.Key);
        File.SetUnixFileMode(store.CurrentPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        store.Save(second.Pem, second.Key);

        using var loaded = store.Load(out _);
        loaded!.Thumbprint.Should().Be(second.Certificate.Thumbprint);
        File.GetUnixFileMode(store.CurrentPath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public void A_missing_file_is_no_certificate_and_no_problem()
    {
        new CertificateFileStore(_dir, "raven-proxy-user").Load(out var problem).Should().BeNull();
        problem.Should().BeNull();
    }

    [Fact]
    public void A_corrupt_file_is_no_certificate_with_the_reason()
    {
        var store = new CertificateFileStore(_dir, "raven-proxy-user");
        Directory.CreateDirectory(store.Directory);
        File.WriteAllText(store.CurrentPath, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

        store.Load(out var problem).Should().BeNull();
        problem.Should().Contain(store.CurrentPath);
    }
}
