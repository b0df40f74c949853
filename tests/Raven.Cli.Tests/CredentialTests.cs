using System.Net;
using Raven.Agent.Linux.Processes;
using Raven.ApiServer;
using Raven.ApiServer.Gateways;
using Raven.Cli.Tests.Support;
using Raven.Kube.Client;
using k8s;

namespace Raven.Cli.Tests;

/// <summary>
/// `raven controller` (the real executable) against an HTTPS API server that requires a bearer token, with the
/// credentials of a cloud kubeconfig (an exec credential plugin) and of a pod (service-account token and CA at the
/// fixed in-cluster path, KUBERNETES_SERVICE_HOST/PORT), including a token rotated while it runs. The agent's variants
/// need a network namespace and live in Raven.Network.Tests (AgentCredentialTests).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CredentialTests : IDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("raven-credentials-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string[] Controller(params string[] more) => ["controller", "--leader-elect", "true", "--health-probe-addr", "127.0.0.1:0", .. more];

    private async Task<EmbeddedApiServer> StartServerAsync(string token, int port = 0)
    {
        var server = RavenApiServer.Create(new EmbeddedApiServerOptions
        {
            Https = true,
            Token = token,
            DataDir = Path.Combine(_directory, "apiserver"),
            Listen = new IPEndPoint(IPAddress.Loopback, port),
        });
        await server.StartAsync();
        await RavenApiServer.InstallGatewayCrdAsync(server, CancellationToken.None);
        return server;
    }

    [Fact]
    public async Task Controller_authenticates_with_an_exec_credential_plugin()
    {
        await using var server = await StartServerAsync("plugin-token");
        var plugin = ExecCredentialPlugin.Write(_directory, "plugin-token");
        var kubeconfig = plugin.Kubeconfig(_directory, server.Url.ToString().TrimEnd('/'), server.CaCertificatePem);

        using var controller = RavenProcess.Start(Controller("--kubeconfig", kubeconfig));

        (await controller.WaitForLineAsync("leading: reconciling every gateway", StartDeadline)).Should().BeTrue(controller.Output);
        plugin.Runs.Should().BeGreaterThan(0);
        await RavenProcess.AssertStopsAsync(controller, ProcessSignals.SigTerm);
    }

    [Theory]
    [InlineData("controller")]
    [InlineData("agent")]
    public async Task A_credential_plugin_that_fails_stops_the_command_with_one_line_naming_the_kubeconfig(string command)
    {
        var plugin = ExecCredentialPlugin.Write(_directory, "unused");
        File.WriteAllText(plugin.Script, "#!/bin/sh\necho 'not logged in' >&2\nexit 1\n");
        var kubeconfig = plugin.Kubeconfig(_directory, "https://127.0.0.1:9", "");
        string[] arguments = command == "agent"
            ? ["agent", "--node-name", "n1", "--node-ip", "192.0.2.1", "--kubeconfig", kubeconfig]
            : [.. Controller("--kubeconfig", kubeconfig)];

        using var process = RavenProcess.Start(arguments);
        (await process.WaitForLineAsync(
            $"raven {command}: kubeconfig {kubeconfig}: users[].user.exec: the credential plugin '{plugin.Script}' gave no credential: its output is not an ExecCredential",
            StartDeadline)).Should().BeTrue(process.Output);
        (await process.WaitForExitAsync(StartDeadline)).Should().BeTrue(process.Output);

        process.ExitCode.Should().Be(2);
        process.Output.Should().NotContain("   at ", "a configuration error is one line, not a stack");
    }

    [Fact]
    public async Task Controller_runs_in_cluster_and_follows_a_rotated_service_account_token()
    {
        var server = await StartServerAsync("token-before");
        var port = server.Url.Port;
        var mount = InClusterMount.Create(_directory, "token-before", server.CaCertificatePem);
        var environment = new Dictionary<string, string>(InClusterMount.Environment("127.0.0.1", port)) { ["KUBECONFIG"] = "" };
        using var controller = RavenProcess.Start(Controller(), wrapper: mount.Wrapper(), environment: environment);
        (await controller.WaitForLineAsync("leading: reconciling every gateway", StartDeadline)).Should().BeTrue(controller.Output);

        // Kubelet rotates the projected token; the API server stops accepting the old one.
        mount.RotateToken("token-after");
        await server.DisposeAsync();
        var restarted = DateTime.UtcNow;
        await using var rotated = await StartServerAsync("token-after", port);
        var kubeconfig = Path.Combine(_directory, "kubeconfig-admin");
        rotated.WriteKubeconfig(kubeconfig);
        using var admin = KubeClient.Create(kubeconfig);

        // The official client re-reads the token file every minute: the controller renews its lease with the new token.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(150);
        DateTime? renewed = null;
        while (DateTime.UtcNow < deadline && !(renewed > restarted))
        {
            var lease = await admin.Api.CoordinationV1.ReadNamespacedLeaseAsync("raven-controller", "kube-system").NullIfNotFound();
            renewed = lease?.Spec?.RenewTime;
            await Task.Delay(500);
        }

        renewed.Should().BeAfter(restarted, $"the controller renews its lease with the rotated token:\n{controller.Output}");
        controller.HasExited.Should().BeFalse("the same process, not a restart, picked up the new token");
        await RavenProcess.AssertStopsAsync(controller, ProcessSignals.SigTerm);
    }
}
