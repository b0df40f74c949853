using Raven.Agent.Linux.Processes;
using Raven.Agent.Tunnel.WireGuard;
using Raven.Cli.Tests.Support;
using Raven.Kube.Client;
using Raven.TestSupport.Network;
using k8s;

namespace Raven.Network.Tests.Agent;

/// <summary>
/// `raven agent` (the real executable, in a network namespace) against an HTTPS API server that requires a bearer
/// token — `raven apiserver` in the same namespace, on its loopback — with the credentials of a cloud kubeconfig (an
/// exec credential plugin) and of a pod (service-account token and CA at the fixed in-cluster path, bound over /run
/// in a private mount namespace, and KUBERNETES_SERVICE_HOST/PORT). It works when it holds its agent Lease, read
/// here through the server's Unix socket.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AgentCredentialTests : IDisposable
{
    private const string Area = "kccred";
    private const string NodeName = "kc-cred-gw";
    private const string NodeIp = "10.99.1.10";
    private const string WireGuardInterface = "rvtkc-cred0";
    private const int ApiPort = 6443;
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private readonly string _directory = Directory.CreateTempSubdirectory("rvt-kccred-").FullName;
    private readonly TestNamespace _node;
    private readonly RavenProcess _apiserver;

    public AgentCredentialTests()
    {
        _node = TestNamespace.Create(Area);
        _node.Ip("link", "add", "br0", "type", "bridge");
        _node.Ip("addr", "add", NodeIp + "/24", "dev", "br0");
        _node.Ip("link", "set", "br0", "up");
        _apiserver = RavenProcess.Start(["apiserver", "--listen", $"127.0.0.1:{ApiPort}", "--https", "--unix-socket", Socket,
            "--data-dir", ApiData], _node.Name);
    }

    private string ApiData => Path.Combine(_directory, "apiserver");

    private string Socket => Path.Combine(_directory, "api.sock");

    private string Token => File.ReadAllText(Path.Combine(ApiData, "pki", "token")).Trim();

    private string CaPem => File.ReadAllText(Path.Combine(ApiData, "pki", "ca.crt"));

    public void Dispose()
    {
        _apiserver.Dispose();
        var daemon = new WireGuardGoOptions { InterfaceName = WireGuardInterface };
        if (DaemonIdentity.FindRunningPid(daemon) is { } pid)
        {
            ProcessSignals.Send(pid, ProcessSignals.SigTerm);
            SpinWait.SpinUntil(() => !ProcessSignals.Exists(pid), TimeSpan.FromSeconds(5));
        }

        _node.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Agent_authenticates_with_an_exec_credential_plugin()
    {
        await WaitForApiServerAsync();
        var plugin = ExecCredentialPlugin.Write(_directory, Token);
        var kubeconfig = plugin.Kubeconfig(_directory, $"https://127.0.0.1:{ApiPort}", CaPem);

        using var agent = StartAgent(["--kubeconfig", kubeconfig]);

        await AssertHoldsItsLeaseAsync(agent);
        plugin.Runs.Should().BeGreaterThan(0);
        await RavenProcess.AssertStopsAsync(agent, ProcessSignals.SigTerm);
    }

    [Fact]
    public async Task Agent_runs_in_cluster_with_the_service_account_files_and_variables()
    {
        await WaitForApiServerAsync();
        var mount = InClusterMount.Create(_directory, Token, CaPem);
        var environment = new Dictionary<string, string>(InClusterMount.Environment("127.0.0.1", ApiPort)) { ["KUBECONFIG"] = "" };

        using var agent = StartAgent([], mount.Wrapper(), environment);

        await AssertHoldsItsLeaseAsync(agent);
        await RavenProcess.AssertStopsAsync(agent, ProcessSignals.SigTerm);
    }

    private async Task WaitForApiServerAsync()
    {
        (await _apiserver.WaitForLineAsync("serving on https://", StartDeadline)).Should().BeTrue(_apiserver.Output);
        (await AgentLab.WaitUntilAsync(() => File.Exists(Socket) && File.Exists(Path.Combine(ApiData, "pki", "token")), StartDeadline))
            .Should().BeTrue(_apiserver.Output);
    }

    private RavenProcess StartAgent(IReadOnlyList<string> credentials, IReadOnlyList<string>? wrapper = null, IReadOnlyDictionary<string, string>? environment = null) =>
        RavenProcess.Start(
        [
            "agent", "--node-name", NodeName, "--node-ip", NodeIp, .. credentials,
            "--state-dir", Path.Combine(_directory, "state"), "--wireguard-interface", WireGuardInterface,
            "--health-probe-addr", "127.0.0.1:10275", "--metric-bind-addr", "127.0.0.1:10265", "--lease-duration", "6s",
        ], _node.Name, wrapper, environment);

    /// <summary>The agent's Lease exists, is held by the node and is renewed: every write needed the server's token.</summary>
    private async Task AssertHoldsItsLeaseAsync(RavenProcess agent)
    {
        using var observer = KubeClient.ForServer("unix://" + Socket);
        DateTime? firstRenewal = null;
        var renewedAgain = await AgentLab.WaitUntilAsync(() =>
        {
            var lease = observer.Api.CoordinationV1.ReadNamespacedLeaseAsync($"raven-agent-{NodeName}", "kube-system").NullIfNotFound().GetAwaiter().GetResult();
            if (lease?.Spec?.HolderIdentity != NodeName || lease.Spec.RenewTime is not { } renewed)
            {
                return false;
            }

            firstRenewal ??= renewed;
            return renewed > firstRenewal;
        }, StartDeadline);

        renewedAgain.Should().BeTrue($"the agent creates and renews its lease:\n{agent.Output}");
    }
}
