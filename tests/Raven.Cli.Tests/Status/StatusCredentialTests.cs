using System.Net;
using Raven.ApiServer;
using Raven.ApiServer.Gateways;
using Raven.Cli.Status;
using Raven.Cli.Tests.Support;

namespace Raven.Cli.Tests.Status;

/// <summary>`raven status` with a cloud kubeconfig: HTTPS, a bearer token from an exec credential plugin.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StatusCredentialTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("raven-status-cred-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<EmbeddedApiServer> StartServerAsync(string token)
    {
        var server = RavenApiServer.Create(new EmbeddedApiServerOptions
        {
            Https = true,
            Token = token,
            DataDir = Path.Combine(_directory, "apiserver"),
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
        });
        await server.StartAsync();
        await RavenApiServer.InstallGatewayCrdAsync(server, CancellationToken.None);
        return server;
    }

    [Fact]
    public async Task Status_reads_the_cluster_with_an_exec_credential_plugin()
    {
        await using var server = await StartServerAsync("plugin-token");
        var plugin = ExecCredentialPlugin.Write(_directory, "plugin-token");
        var kubeconfig = plugin.Kubeconfig(_directory, server.Url.ToString().TrimEnd('/'), server.CaCertificatePem);

        using var status = RavenProcess.Start(["status", "--kubeconfig", kubeconfig, "-o", "json"]);

        (await status.WaitForExitAsync(Deadline)).Should().BeTrue(status.Output);
        status.ExitCode.Should().Be(0, status.Output);
        plugin.Runs.Should().BeGreaterThan(0);
        StatusFormats.FromJson(status.Output)!.Problems.Should().Contain(p => p.Subject == "kube-system/raven-cfg", "the empty cluster was read");
    }

    [Fact]
    public async Task A_refused_credential_is_exit_1_and_one_line()
    {
        await using var server = await StartServerAsync("the-right-token");
        var plugin = ExecCredentialPlugin.Write(_directory, "a-wrong-token");
        var kubeconfig = plugin.Kubeconfig(_directory, server.Url.ToString().TrimEnd('/'), server.CaCertificatePem);

        using var status = RavenProcess.Start(["status", "--kubeconfig", kubeconfig]);

        (await status.WaitForExitAsync(Deadline)).Should().BeTrue(status.Output);
        status.ExitCode.Should().Be(1, status.Output);
        status.Lines.Should().ContainSingle().Which.Should().StartWith("raven status: cannot read the cluster: ").And.Contain("401");
    }
}
