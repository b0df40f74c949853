using Raven.Kube.Client.Config;

namespace Raven.Kube.Tests.Client;

public sealed class KubeConfigParsingTests
{
    private static string Config(string cluster, string user, string current = "ctx", string extraContexts = "") => $"""
        apiVersion: v1
        kind: Config
        current-context: {current}
        clusters:
        - name: c1
          cluster:
        {cluster}
        users:
        - name: u1
          user:
        {user}
        contexts:
        - name: ctx
          context:
            cluster: c1
            user: u1
            namespace: team-a
        {extraContexts}
        """;

    private static KubeClientConfig Build(string yaml, string? context = null) =>
        KubeConfigBuilder.Build(KubeConfigParser.Parse(yaml, "test"), context);

    [Fact]
    public void Token_and_inline_ca_are_read()
    {
        var (ca, _) = TestPki.SelfSigned("CN=test-ca");
        var config = Build(Config(
            $"    server: https://203.0.113.10:6443\n    certificate-authority-data: {TestPki.Base64(ca)}",
            "    token: abc.def"));

        config.Server.Should().Be(new Uri("https://203.0.113.10:6443"));
        config.Namespace.Should().Be("team-a");
        config.Token!.GetToken().Should().Be("abc.def");
        config.CaCertificates.Should().ContainSingle().Which.Subject.Should().Be("CN=test-ca");
        config.ClientCertificate.Should().BeNull();
        config.BaseAddress.Should().Be("https://203.0.113.10:6443");
    }

    [Fact]
    public void Inline_client_certificate_and_key_form_a_certificate_with_private_key()
    {
        var (certificate, key) = TestPki.SelfSigned("CN=tunnel-agent-client, O=openyurt:yurttunnel");
        var config = Build(Config(
            "    server: https://203.0.113.10:6443\n    insecure-skip-tls-verify: true",
            $"    client-certificate-data: {TestPki.Base64(certificate)}\n    client-key-data: {TestPki.Base64(key)}"));

        config.InsecureSkipTlsVerify.Should().BeTrue();
        config.ClientCertificate!.HasPrivateKey.Should().BeTrue();
        config.ClientCertificate.Subject.Should().Contain("CN=tunnel-agent-client");
        config.Token.Should().BeNull();
    }

    [Fact]
    public void File_paths_are_resolved_relative_to_the_kubeconfig()
    {
        using var dir = new TempDir();
        var (ca, _) = TestPki.SelfSigned("CN=file-ca");
        var (certificate, key) = TestPki.SelfSigned("CN=file-user");
        dir.Write("pki/ca.crt", ca);
        dir.Write("pki/user.crt", certificate);
        dir.Write("pki/user.key", key);
        dir.Write("pki/token", "from-file\n");
        var path = dir.Write("kube/config", Config(
            "    server: https://203.0.113.10:6443/prefix/\n    certificate-authority: ../pki/ca.crt\n    tls-server-name: api.example",
            "    client-certificate: ../pki/user.crt\n    client-key: ../pki/user.key\n    tokenFile: ../pki/token"));

        var config = KubeConfigBuilder.Build(KubeConfigParser.Load(path));

        config.CaCertificates.Should().ContainSingle().Which.Subject.Should().Be("CN=file-ca");
        config.ClientCertificate!.Subject.Should().Be("CN=file-user");
        config.Token!.GetToken().Should().Be("from-file");
        config.TlsServerName.Should().Be("api.example");
        config.BaseAddress.Should().Be("https://203.0.113.10:6443/prefix");
    }

    [Fact]
    public void A_named_context_overrides_current_context()
    {
        var extra = """
            - name: other
              context:
                cluster: c1
                namespace: team-b
            """;
        var config = Build(Config("    server: https://203.0.113.10:6443", "    token: t", extraContexts: extra), "other");

        config.Namespace.Should().Be("team-b");
        config.Token.Should().BeNull("the other context names no user");
    }

    [Fact]
    public void Unix_socket_servers_talk_http_to_localhost()
    {
        var config = Build(Config("    server: unix:///run/raven/api.sock", "    token: t"));

        config.UnixSocketPath.Should().Be("/run/raven/api.sock");
        config.BaseAddress.Should().Be("http://localhost");
    }

    [Theory]
    [InlineData("    server: https://203.0.113.10:6443", "    exec:\n      command: aws\n      apiVersion: client.authentication.k8s.io/v1", "users[u1].user.exec: exec credential plugins are not supported")]
    [InlineData("    server: https://203.0.113.10:6443", "    auth-provider:\n      name: oidc", "users[u1].user.auth-provider")]
    [InlineData("    insecure-skip-tls-verify: true", "    token: t", "clusters[c1].cluster.server: not set")]
    [InlineData("    server: ftp://203.0.113.10", "    token: t", "clusters[c1].cluster.server: 'ftp://203.0.113.10' is not")]
    [InlineData("    server: unix://", "    token: t", "clusters[c1].cluster.server")]
    [InlineData("    server: https://203.0.113.10:6443\n    certificate-authority-data: '%%%'", "    token: t", "clusters[c1].cluster.certificate-authority-data: not valid base64")]
    [InlineData("    server: https://203.0.113.10:6443\n    certificate-authority-data: aGVsbG8=", "    token: t", "clusters[c1].cluster.certificate-authority-data: contains no PEM certificate")]
    [InlineData("    server: https://203.0.113.10:6443\n    certificate-authority: /nonexistent/ca.crt", "    token: t", "clusters[c1].cluster.certificate-authority: '/nonexistent/ca.crt' cannot be read")]
    [InlineData("    server: https://203.0.113.10:6443", "    client-key-data: aGVsbG8=", "users[u1].user.client-certificate(-data): not set")]
    [InlineData("    server: https://203.0.113.10:6443", "    tokenFile: /nonexistent/token", "users[u1].user.tokenFile: '/nonexistent/token' does not exist")]
    public void Bad_fields_are_named_in_the_error(string cluster, string user, string expected)
    {
        var act = () => Build(Config(cluster, user));

        act.Should().Throw<KubeConfigException>().Which.Message.Should().Contain(expected);
    }

    [Fact]
    public void A_mismatched_client_key_is_reported()
    {
        var (certificate, _) = TestPki.SelfSigned("CN=a");
        var (_, otherKey) = TestPki.SelfSigned("CN=b");
        var act = () => Build(Config(
            "    server: https://203.0.113.10:6443",
            $"    client-certificate-data: {TestPki.Base64(certificate)}\n    client-key-data: {TestPki.Base64(otherKey)}"));

        act.Should().Throw<KubeConfigException>().Which.Message.Should().Contain("users[u1].user.client-certificate/client-key");
    }

    [Theory]
    [InlineData("missing", "contexts: no context named 'missing'")]
    [InlineData("", "current-context: not set")]
    public void Unknown_or_missing_contexts_are_errors(string current, string expected)
    {
        var act = () => Build(Config("    server: https://203.0.113.10:6443", "    token: t", current: current));

        act.Should().Throw<KubeConfigException>().Which.Message.Should().Contain(expected);
    }

    [Fact]
    public void References_to_undefined_clusters_and_users_are_errors()
    {
        var yaml = """
            current-context: x
            contexts:
            - name: x
              context: {cluster: nowhere, user: nobody}
            """;

        var act = () => Build(yaml);

        act.Should().Throw<KubeConfigException>().Which.Message.Should().Contain("clusters: no cluster named 'nowhere'");
    }

    [Fact]
    public void Yaml_syntax_errors_give_the_source_and_position()
    {
        var act = () => KubeConfigParser.Parse("clusters: [unclosed\n  - x: {", "/etc/kube.conf");

        act.Should().Throw<KubeConfigException>().Which.Message.Should().StartWith("/etc/kube.conf: not a valid kubeconfig at line");
    }

    [Fact]
    public void Merge_keeps_the_first_definition_and_the_first_current_context()
    {
        var first = KubeConfigParser.Parse(Config("    server: https://203.0.113.10:6443", "    token: first"), "a");
        var second = KubeConfigParser.Parse(Config("    server: https://198.51.100.1:6443", "    token: second", current: "other"), "b");

        var config = KubeConfigBuilder.Build(KubeConfigParser.Merge([first, second]));

        config.Server.Host.Should().Be("203.0.113.10");
        config.Token!.GetToken().Should().Be("first");
    }
}
