using k8s;
using System.Collections.Concurrent;
using k8s.Exceptions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Raven.Kube.Client;
using Raven.Kube.Client.Config;

namespace Raven.Kube.Tests.Client;

/// <summary>
/// Where the configuration comes from and what Raven adds to the official client's kubeconfig loading; parsing,
/// certificates and tokens are the library's and are not re-tested here.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KubeConfigLoaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Config(string server, string context = "c", string user = "    token: t", string? currentContext = "c") => $"""
        apiVersion: v1
        kind: Config
        {(currentContext is null ? "" : "current-context: " + currentContext)}
        clusters:
        - name: {context}-cluster
          cluster:
            server: {server}
        contexts:
        - name: {context}
          context:
            cluster: {context}-cluster
            user: {context}-user
        users:
        - name: {context}-user
          user:
        {user}
        """;

    private KubeConfigLoader Loader(IReadOnlyDictionary<string, string>? environment = null) => new()
    {
        Environment = name => environment?.GetValueOrDefault(name),
        HomeDirectory = _dir.Path,
    };

    [Fact]
    public void An_explicit_path_wins_over_the_variable_and_home()
    {
        var explicitPath = _dir.Write("explicit", Config("https://203.0.113.1:6443"));
        var fromVariable = _dir.Write("variable", Config("https://203.0.113.2:6443"));
        _dir.Write(".kube/config", Config("https://203.0.113.3:6443"));

        var endpoint = Loader(new Dictionary<string, string> { ["KUBECONFIG"] = fromVariable }).Load(explicitPath);

        endpoint.Server.Should().Be("https://203.0.113.1:6443");
        endpoint.Source.Should().Be(explicitPath);
    }

    [Fact]
    public void The_variable_merges_its_files_the_first_to_name_an_entry_winning()
    {
        var first = _dir.Write("first", Config("https://203.0.113.1:6443", context: "a", currentContext: "a"));
        var second = _dir.Write("second", Config("https://203.0.113.2:6443", context: "b", currentContext: "b"));
        var third = _dir.Write("third", Config("https://203.0.113.9:6443", context: "a", currentContext: null)); // names a's entries again
        var variable = string.Join(Path.PathSeparator, first, Path.Combine(_dir.Path, "missing"), second, third);

        var current = Loader(new Dictionary<string, string> { ["KUBECONFIG"] = variable }).Load();
        var other = Loader(new Dictionary<string, string> { ["KUBECONFIG"] = variable }).Load(context: "b");

        current.Server.Should().Be("https://203.0.113.1:6443", "current-context comes from the first file, and its cluster too");
        other.Server.Should().Be("https://203.0.113.2:6443", "a context only the second file names");
    }

    [Fact]
    public void Home_config_is_the_last_resort_and_nothing_configured_is_a_clear_error()
    {
        var nothing = () => Loader().Load();
        nothing.Should().Throw<KubeConfigException>().WithMessage("no Kubernetes configuration: pass --kubeconfig, set KUBECONFIG, run in a pod, or create *");

        _dir.Write(".kube/config", Config("https://203.0.113.3:6443"));

        Loader().Load().Server.Should().Be("https://203.0.113.3:6443");
    }

    [Fact]
    public void In_cluster_variables_without_the_service_account_files_say_what_is_missing()
    {
        if (File.Exists(Path.Combine(KubeConfigLoader.ServiceAccountDirectory, "token")))
        {
            return; // running in a pod: the files are there
        }

        var act = () => Loader(new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "10.96.0.1", ["KUBERNETES_SERVICE_PORT"] = "443" }).Load();

        act.Should().Throw<KubeConfigException>().WithMessage("*KUBERNETES_SERVICE_HOST is set, but /var/run/secrets/kubernetes.io/serviceaccount has no token and ca.crt*");
    }

    [Fact]
    public void A_user_without_credentials_connects_anonymously_and_a_unix_server_keeps_its_escaped_path()
    {
        var path = _dir.Write("kubeconfig", Config("\"unix:///run/raven%20lab/api.sock\"", user: "    {}"));

        var endpoint = Loader().Load(path);

        endpoint.UnixSocketPath.Should().Be("/run/raven lab/api.sock");
        endpoint.Server.Should().Be("unix:///run/raven lab/api.sock");
        endpoint.Configuration.AccessToken.Should().BeNull();
        endpoint.Configuration.Host.Should().Be("http://localhost");
    }

    [Fact]
    public void A_broken_kubeconfig_is_an_error_naming_the_file()
    {
        var path = _dir.Write("kubeconfig", Config("https://203.0.113.1:6443", currentContext: "nowhere"));

        var act = () => Loader().Load(path);

        act.Should().Throw<KubeConfigException>().WithMessage($"kubeconfig {path}: *nowhere*");
    }

    [Fact]
    public async Task An_exec_credential_plugin_supplies_the_bearer_token_and_is_run_again_when_it_expires()
    {
        var seen = new ConcurrentQueue<string>();
        await using var server = await TestServer.StartAsync(o => o.Listen(System.Net.IPAddress.Loopback, 0), async context =>
        {
            seen.Enqueue(context.Request.Headers.Authorization.ToString());
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"kube-system"}}""");
        });
        var plugin = Raven.Cli.Tests.Support.ExecCredentialPlugin.Write(_dir.Path, "exec-token-", numbered: true, expired: true);
        var path = _dir.Write("kubeconfig", Config(server.Address, user: $"""
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: {plugin.Script}
                  interactiveMode: Never
            """));
        using var client = new KubeClient(Loader().Load(path));

        await client.Api.CoreV1.ReadNamespaceAsync("kube-system");
        await client.Api.CoreV1.ReadNamespaceAsync("kube-system");

        seen.Should().HaveCount(2);
        seen.Should().OnlyContain(h => h.StartsWith("Bearer exec-token-", StringComparison.Ordinal));
        seen.Distinct().Should().HaveCount(2, "an expired credential makes the client run the plugin again");
        plugin.Runs.Should().BeGreaterThanOrEqualTo(3, "once while loading the kubeconfig, then for each request");
    }
}
