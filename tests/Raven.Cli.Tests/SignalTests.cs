using Raven.Agent.Linux.Processes;
using Raven.Agent.Tunnel.WireGuard;
using Raven.ApiServer;
using Raven.ApiServer.Gateways;
using Raven.Cli.Tests.Support;

namespace Raven.Cli.Tests;

/// <summary>
/// Every long-running command stops within 2 s of SIGTERM or SIGINT with exit code 0, by its own orderly stop (no
/// forced exit): the real executable, signalled by PID. The agent's variants need a network namespace and live in
/// Raven.Network.Tests (AgentSignalTests).
/// </summary>
public sealed class SignalTests : IDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("raven-signal-").FullName;

    public static TheoryData<int> Signals => new() { ProcessSignals.SigTerm, ProcessSignals.SigInt };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task Controller_stops_while_it_waits_for_an_unreachable_API_server(int signal)
    {
        var kubeconfig = Kubeconfigs.Write(_directory, Kubeconfigs.UnreachableServer);
        using var controller = RavenProcess.Start(["controller", "--kubeconfig", kubeconfig, "--leader-elect", "false", "--health-probe-addr", "127.0.0.1:0"]);
        (await controller.WaitForLineAsync("waiting for the API server", StartDeadline)).Should().BeTrue(controller.Output);

        await RavenProcess.AssertStopsAsync(controller, signal);
    }

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task Controller_stops_while_connected_and_leading(int signal)
    {
        await using var server = RavenApiServer.Create(new EmbeddedApiServerOptions());
        await server.StartAsync();
        await RavenApiServer.InstallGatewayCrdAsync(server, CancellationToken.None);
        var kubeconfig = Kubeconfigs.Write(_directory, server.Url.ToString().TrimEnd('/'));
        using var controller = RavenProcess.Start(["controller", "--kubeconfig", kubeconfig, "--leader-elect", "true", "--health-probe-addr", "127.0.0.1:0"]);
        (await controller.WaitForLineAsync("leading: reconciling every gateway", StartDeadline)).Should().BeTrue(controller.Output);

        await RavenProcess.AssertStopsAsync(controller, signal);
    }

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task Apiserver_stops_while_serving_a_watch(int signal)
    {
        using var apiserver = RavenProcess.Start(["apiserver", "--listen", "127.0.0.1:0", "--data-dir", _directory, "--install-gateway-crd"]);
        (await apiserver.WaitForLineAsync("serving on ", StartDeadline)).Should().BeTrue(apiserver.Output);
        var url = apiserver.Lines.First(l => l.StartsWith("serving on ", StringComparison.Ordinal))["serving on ".Length..].Trim();
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        using var watch = await http.GetAsync("/api/v1/namespaces?watch=true", HttpCompletionOption.ResponseHeadersRead);
        watch.IsSuccessStatusCode.Should().BeTrue();

        await RavenProcess.AssertStopsAsync(apiserver, signal);
    }

    [Theory]
    [MemberData(nameof(Signals))]
    public async Task Lab_kubelet_stops_while_it_waits_for_an_unreachable_API_server(int signal)
    {
        var kubeconfig = Kubeconfigs.Write(_directory, Kubeconfigs.UnreachableServer);
        using var kubelet = RavenProcess.Start(["lab", "kubelet", "--kubeconfig", kubeconfig, "--node", "n1", "--ip", "192.0.2.1", "--pod-cidr", "10.244.0.0/24", "--gateway", "gw"]);
        (await kubelet.WaitForLineAsync("waiting for the API server", StartDeadline)).Should().BeTrue(kubelet.Output);

        await RavenProcess.AssertStopsAsync(kubelet, signal);
    }
}
