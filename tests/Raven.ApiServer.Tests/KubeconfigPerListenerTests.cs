using k8s;
using Raven.Kube.Client;
using Raven.ApiServer.Gateways;
using Raven.ApiServer;

namespace Raven.ApiServer.Tests;

/// <summary>One kubeconfig per listener: TCP for kubectl and the host, the Unix socket for node namespaces.</summary>
public sealed class KubeconfigPerListenerTests : IDisposable
{
    // A space in the path: the unix:// URL must escape it and the client must read it back.
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Directory.CreateTempSubdirectory("rvt-kubeconfigs-").FullName, "with space")).FullName;

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_dir)!, recursive: true);

    private static async Task<IReadOnlyList<string>> NamespacesAsync(string kubeconfig)
    {
        using var client = KubeClient.Create(kubeconfig);
        var list = await client.Api.CoreV1.ListNamespaceAsync();
        return list.Items.Select(n => n.Metadata.Name!).ToList();
    }

    [Fact]
    public async Task A_server_on_tcp_and_a_socket_writes_a_kubeconfig_for_each_and_both_reach_it()
    {
        var socket = Path.Combine(_dir, "api.sock");
        await using var server = await TestApiServer.StartAsync(o => o.UnixSocketPath = socket);

        var written = server.Server.WriteKubeconfigs(_dir);

        written.Should().Equal(Path.Combine(_dir, "kubeconfig"), Path.Combine(_dir, "kubeconfig-unix"));
        (await File.ReadAllTextAsync(written[1])).Should().Contain("server: \"unix:///").And.Contain("with%20space/api.sock");
        (await NamespacesAsync(written[0])).Should().Contain("kube-system");
        (await NamespacesAsync(written[1])).Should().Contain("kube-system");
    }

    [Fact]
    public async Task Kubectl_uses_the_tcp_kubeconfig_and_refuses_the_unix_one_as_the_operator_guide_says()
    {
        var socket = Path.Combine(_dir, "api.sock");
        await using var server = await TestApiServer.StartAsync(o => o.UnixSocketPath = socket);
        var written = server.Server.WriteKubeconfigs(_dir);
        var kubectl = new Kubectl(server);

        var tcp = await kubectl.RunAsync(["get", "ns", "kube-system", "-o", "name"], env: new Dictionary<string, string> { ["KUBECONFIG"] = written[0] });
        var unix = await kubectl.RunAsync(["get", "ns", "kube-system", "-o", "name"], env: new Dictionary<string, string> { ["KUBECONFIG"] = written[1] });

        tcp.Out.Trim().Should().Be("namespace/kube-system", tcp.Err);
        unix.Code.Should().NotBe(0);
        unix.Err.Should().Contain("unix://");
    }

    [Fact]
    public async Task A_socket_only_server_writes_only_the_unix_kubeconfig_and_installs_the_gateway_crd_over_it()
    {
        var socket = Path.Combine(_dir, "api.sock");
        await using var server = RavenApiServer.Create(new EmbeddedApiServerOptions { Listen = null, UnixSocketPath = socket });
        await server.StartAsync();

        await RavenApiServer.InstallGatewayCrdAsync(server, CancellationToken.None);
        var written = server.WriteKubeconfigs(_dir);

        server.Url.Scheme.Should().Be("unix", "there is no TCP URL to report");
        written.Should().Equal(Path.Combine(_dir, "kubeconfig-unix"));
        using var client = KubeClient.Create(written[0]);
        var gateways = await client.CustomObjects(KubeResources.Gateways).ListAsync();
        gateways.Should().BeEmpty();
    }
}
