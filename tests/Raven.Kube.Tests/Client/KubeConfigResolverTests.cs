using Raven.Kube.Client.Config;

namespace Raven.Kube.Tests.Client;

public sealed class KubeConfigResolverTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Kubeconfig(string name, string server) => _dir.Write(name, $$$"""
        current-context: c
        clusters: [{name: c, cluster: {server: "{{{server}}}"}}]
        contexts: [{name: c, context: {cluster: c}}]
        """);

    private string ServiceAccount()
    {
        var (ca, _) = TestPki.SelfSigned("CN=cluster-ca");
        _dir.Write("sa/token", "sa-token");
        _dir.Write("sa/ca.crt", ca);
        _dir.Write("sa/namespace", "kube-system\n");
        return Path.Combine(_dir.Path, "sa");
    }

    private KubeConfigResolver Resolver(Dictionary<string, string> environment, string? serviceAccount = null) => new()
    {
        Environment = name => environment.GetValueOrDefault(name),
        ServiceAccountDirectory = serviceAccount ?? Path.Combine(_dir.Path, "no-sa"),
        HomeDirectory = Path.Combine(_dir.Path, "home"),
    };

    private static Dictionary<string, string> InCluster(string? kubeconfig = null)
    {
        var environment = new Dictionary<string, string>
        {
            [InClusterConfig.HostVariable] = "fd00::1",
            [InClusterConfig.PortVariable] = "443",
        };
        if (kubeconfig is not null)
        {
            environment[KubeConfigResolver.KubeConfigVariable] = kubeconfig;
        }

        return environment;
    }

    [Fact]
    public void An_explicit_path_wins_over_everything()
    {
        var explicitPath = Kubeconfig("explicit", "https://203.0.113.1:6443");
        var fromEnvironment = Kubeconfig("env", "https://203.0.113.2:6443");

        var config = Resolver(InCluster(fromEnvironment), ServiceAccount()).Resolve(explicitPath);

        config.Server.Host.Should().Be("203.0.113.1");
    }

    [Fact]
    public void Kubeconfig_variable_comes_before_in_cluster_and_merges_its_files()
    {
        var first = Kubeconfig("first", "https://203.0.113.2:6443");
        var missing = Path.Combine(_dir.Path, "missing");

        var config = Resolver(InCluster($"{missing}:{first}"), ServiceAccount()).Resolve();

        config.Server.Host.Should().Be("203.0.113.2");
    }

    [Fact]
    public void In_cluster_uses_the_service_address_and_account_files()
    {
        var config = Resolver(InCluster(), ServiceAccount()).Resolve();

        config.Server.Should().Be(new Uri("https://[fd00::1]:443"));
        config.Token!.GetToken().Should().Be("sa-token");
        config.CaCertificates.Should().ContainSingle().Which.Subject.Should().Be("CN=cluster-ca");
        config.Namespace.Should().Be("kube-system");
    }

    [Fact]
    public void In_cluster_without_a_token_names_the_missing_file()
    {
        var act = () => Resolver(InCluster()).Resolve();

        act.Should().Throw<KubeConfigException>().Which.Message.Should().Contain("service-account token").And.Contain("no-sa");
    }

    [Fact]
    public void Home_config_is_the_last_resort()
    {
        Kubeconfig("home/.kube/config", "https://203.0.113.3:6443");

        Resolver([]).Resolve().Server.Host.Should().Be("203.0.113.3");
    }

    [Fact]
    public void Nothing_configured_is_a_clear_error()
    {
        var act = () => Resolver([]).Resolve();

        act.Should().Throw<KubeConfigException>().Which.Message.Should().Contain("no Kubernetes configuration");
    }

    [Fact]
    public void Rotated_token_files_are_read_again()
    {
        var time = new ManualTime();
        var path = _dir.Write("token", "one");
        var source = new FileTokenSource(path, time);
        source.GetToken().Should().Be("one");

        File.WriteAllText(path, "two");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));

        source.GetToken().Should().Be("two");
    }

    [Fact]
    public void Token_files_are_read_again_after_a_minute_even_without_a_new_timestamp()
    {
        var time = new ManualTime();
        var path = _dir.Write("token", "one");
        var stamp = File.GetLastWriteTimeUtc(path);
        var source = new FileTokenSource(path, time);
        source.GetToken().Should().Be("one");

        File.WriteAllText(path, "two");
        File.SetLastWriteTimeUtc(path, stamp);
        source.GetToken().Should().Be("one", "neither the timestamp nor the age says to re-read yet");

        time.Advance(TimeSpan.FromMinutes(1));
        source.GetToken().Should().Be("two");
    }
}
