using Raven.Agent.Linux.Processes;
using Raven.Agent.Tunnel.WireGuard;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.ApiServer;
using Raven.ApiServer.Gateways;
using Raven.Cli.Tests.Support;
using Raven.Kube.Client;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Agent;

/// <summary>
/// `raven agent` (the real executable, in a network namespace) stops within 2 s of SIGTERM or SIGINT with exit code
/// 0: during start-up against an API server that never answers, and with its data plane up after the API server
/// went away — which stays: raven0 and the very same wireguard-go process survive the agent.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AgentSignalTests : IDisposable
{
    private const string Area = "lcsig";
    private const string NodeName = "lc-sig-gw";
    private const string NodeIp = "10.99.0.10";
    private const string WireGuardInterface = "rvtlc-sig0";
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private readonly string _directory = Directory.CreateTempSubdirectory("rvt-lcsig-").FullName;
    private readonly TestNamespace _node;

    public AgentSignalTests()
    {
        _node = TestNamespace.Create(Area);
        _node.Ip("link", "add", "br0", "type", "bridge");
        _node.Ip("addr", "add", NodeIp + "/24", "dev", "br0");
        _node.Ip("link", "set", "br0", "up");
    }

    public static TheoryData<int> Signals => new() { ProcessSignals.SigTerm, ProcessSignals.SigInt };

    public void Dispose()
    {
        var daemon = new WireGuardGoOptions { InterfaceName = WireGuardInterface };
        if (DaemonIdentity.FindRunningPid(daemon) is { } pid)
        {
            ProcessSignals.Send(pid, ProcessSignals.SigTerm);
            SpinWait.SpinUntil(() => !ProcessSignals.Exists(pid), TimeSpan.FromSeconds(5));
        }

        // The probe stand-in a stopped agent leaves (it would answer for the hold, 30 s): stopped by PID.
        foreach (var standIn in Shell.TryRun("ip", null, "netns", "pids", _node.Name).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse))
        {
            if (ProcessSignals.CommandLine(standIn) is { } commandLine && commandLine.Contains("probe-stand-in"))
            {
                ProcessSignals.Send(standIn, ProcessSignals.SigTerm);
            }
        }

        _node.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task Stops_during_start_up_while_the_API_server_is_unreachable(int signal)
    {
        using var agent = StartAgent(Kubeconfigs.Write(_directory, Kubeconfigs.UnreachableServer));
        (await agent.WaitForLineAsync("list failed", StartDeadline)).Should().BeTrue(agent.Output);

        await RavenProcess.AssertStopsAsync(agent, signal);
    }

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task Stops_while_the_API_server_is_down_and_leaves_the_data_plane_in_place(int signal)
    {
        var socket = Path.Combine(_directory, "api.sock");
        await using var server = RavenApiServer.Create(new EmbeddedApiServerOptions { UnixSocketPath = socket });
        await server.StartAsync();
        await RavenApiServer.InstallGatewayCrdAsync(server, CancellationToken.None);
        await CreateGatewayAsync(socket);
        using var agent = StartAgent(Kubeconfigs.Write(_directory, "unix://" + socket));
        var daemon = new WireGuardGoOptions { InterfaceName = WireGuardInterface };
        (await AgentLab.WaitUntilAsync(() => DaemonIdentity.FindRunningPid(daemon) is not null && HasLink("raven0"), StartDeadline))
            .Should().BeTrue($"the agent builds its data plane:\n{agent.Output}");
        var wireguardGo = DaemonIdentity.FindRunningPid(daemon)!.Value;

        await server.StopAsync();
        (await agent.WaitForLineAsync("failed", TimeSpan.FromSeconds(30))).Should().BeTrue($"the agent notices the API server is gone:\n{agent.Output}");
        // With its probes up the agent hands the probe port to a stand-in on the way out and may wait up to 5 s more for it
        // to bind (AgentHost.StandInStartTimeout); the stand-in then answers in the agent's place.
        await RavenProcess.AssertStopsAsync(agent, signal, TimeSpan.FromSeconds(7));
        Shell.TryRun("ip", null, "netns", "pids", _node.Name).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)
            .Select(ProcessSignals.CommandLine).Should().Contain(c => c != null && c.Contains("probe-stand-in"), "the probe port is handed to the stand-in");

        ProcessSignals.Exists(wireguardGo).Should().BeTrue("the agent detaches: wireguard-go keeps running");
        DaemonIdentity.FindRunningPid(daemon).Should().Be(wireguardGo, "the same daemon still answers on its UAPI socket");
        HasLink("raven0").Should().BeTrue("raven0 stays");
        HasLink(WireGuardInterface).Should().BeTrue("the WireGuard device stays");
    }

    private RavenProcess StartAgent(string kubeconfig) => RavenProcess.Start(
    [
        "agent", "--node-name", NodeName, "--node-ip", NodeIp, "--kubeconfig", kubeconfig,
        "--state-dir", Path.Combine(_directory, "state"), "--wireguard-interface", WireGuardInterface,
        "--health-probe-addr", "127.0.0.1:10275", "--metric-bind-addr", "127.0.0.1:10265", "--lease-duration", "6s",
    ], _node.Name);

    private bool HasLink(string name) => _node.TryExec("ip", "link", "show", "dev", name).ExitCode == 0;

    /// <summary>One domain of two nodes whose active tunnel endpoint is this node, as the controller would have written it.</summary>
    private static async Task CreateGatewayAsync(string socket)
    {
        using var client = KubeClient.ForServer("unix://" + socket);
        var gateways = client.CustomObjects(KubeResources.Gateways);
        var endpoint = new Endpoint { NodeName = NodeName, Type = WellKnown.EndpointTypeTunnel, Port = WellKnown.TunnelServerExposedPort, PublicIP = "192.0.2.10" };
        var created = await gateways.CreateAsync(new Gateway
        {
            Metadata = new() { Name = "gw-lc-sig" },
            Spec = new() { Endpoints = [endpoint], TunnelConfig = new() { Replicas = 1 } },
        });
        var active = endpoint.Clone();
        active.Config = new() { [WellKnown.EnableL3TunnelKey] = "true" };
        created.Status = new GatewayStatus
        {
            Nodes =
            [
                new NodeInfo { NodeName = NodeName, PrivateIP = NodeIp, Subnets = ["10.244.90.0/24"] },
                new NodeInfo { NodeName = "lc-sig-w", PrivateIP = "10.99.0.11", Subnets = ["10.244.91.0/24"] }, // so raven0 has a member to serve
            ],
            ActiveEndpoints = [active],
        };
        await gateways.ReplaceStatusAsync(created);
    }
}
