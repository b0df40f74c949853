using System.Xml.Linq;
using k8s;
using k8s.Models;
using Raven.Api;
using Raven.Api.DataPlane;
using Raven.Api.V1Beta1;
using Raven.Cli.Status;
using Raven.Cli.Tests.Support;
using Raven.Controller.Runtime;
using Raven.Kube.Client;
using Raven.TestSupport;
using static Raven.Cli.Tests.Status.ClusterFixture;

namespace Raven.Cli.Tests.Status;

/// <summary>`raven status` and `raven graph` as processes, against the embedded API server through a kubeconfig.</summary>
public sealed class StatusCommandIntegrationTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("raven-status-").FullName;
    private EmbeddedCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await EmbeddedCluster.StartAsync(raven: true);
        var core = _cluster.Client.Api.CoreV1;
        await core.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new() { Name = WellKnown.RavenGlobalConfig, NamespaceProperty = WellKnown.WorkingNamespace },
            Data = new Dictionary<string, string> { [WellKnown.EnableL3TunnelKey] = "true", [WellKnown.EnableL7ProxyKey] = "true" },
        }, WellKnown.WorkingNamespace);
        await AddGatewayAsync("gw-cloud", "PublicIP", tunnel: 1, proxy: 1, [Tunnel("cloud-1", nat: false, ip: "203.0.113.10"), Proxy("cloud-1", nat: false)], ["cloud-1/tunnel", "cloud-1/proxy"]);
        await AddGatewayAsync("gw-hangzhou", null, tunnel: 2, proxy: 1, [Tunnel("hz-1"), Tunnel("hz-2"), Proxy("hz-1")], ["hz-1/tunnel", "hz-2/tunnel", "hz-1/proxy"]);
        await AddNodeAsync("cloud-1", "gw-cloud", "10.0.0.1", ready: true);
        await AddNodeAsync("hz-1", "gw-hangzhou", "172.16.2.1", ready: true);
        await AddNodeAsync("hz-2", "gw-hangzhou", "172.16.2.2", ready: true);
        await AddNodeAsync("hz-3", "gw-hangzhou", "172.16.2.3", ready: false);
        await AddNodeAsync("edge-1", null, "192.168.9.1", ready: true);
        await AddLeaseAsync("cloud-1", DateTime.UtcNow, Report(new DataPlaneClaim { Serving = true, Epoch = 1 }, ("gw-cloud", "cloud-1")));
        await AddLeaseAsync("hz-1", DateTime.UtcNow, Report(new DataPlaneClaim { Serving = true, Epoch = 1 }, ("gw-hangzhou", "hz-1")));
        await AddLeaseAsync("hz-2", DateTime.UtcNow.AddMinutes(-5), null); // its agent died five minutes ago
        await AddLeaseAsync("hz-3", DateTime.UtcNow, Report(null, ("gw-hangzhou", "hz-1")));
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Status_json_shows_roles_nodes_and_the_problems_that_were_made()
    {
        using var process = RavenProcess.Start(["status", "--kubeconfig", Kubeconfig(), "-o", "json"]);

        (await process.WaitForExitAsync(Deadline)).Should().BeTrue(process.Output);
        process.ExitCode.Should().Be(0, process.Output);
        var report = StatusFormats.FromJson(process.Output)!;

        var hangzhou = report.Gateways.Single(g => g.Name == "gw-hangzhou");
        hangzhou.TunnelEndpoints.Select(t => (t.NodeName, t.Role)).Should().Equal(("hz-1", EndpointRoles.Serving), ("hz-2", EndpointRoles.Standby));
        hangzhou.TunnelEndpoints[0].Claim.Should().Be("serving at epoch 1");
        hangzhou.Nodes.Select(n => (n.Name, n.Ready, n.AgentAlive)).Should().Equal(("hz-1", true, true), ("hz-2", true, false), ("hz-3", false, true));
        hangzhou.Nodes.Single(n => n.Name == "hz-2").AgentLeaseAgeSeconds.Should().BeGreaterThanOrEqualTo(300);
        report.NodesWithoutGateway.Select(n => n.Name).Should().Equal("edge-1");
        report.Problems.Select(p => $"{p.Severity} {p.Subject}: {p.Message}").Should().Contain(
        [
            "error node hz-2: agent Lease expired " + report.Problems.Single(p => p.Subject == "node hz-2").Message["agent Lease expired ".Length..],
            "warning node hz-3: NotReady",
            "warning node edge-1: in no gateway (no raven.openyurt.io/gateway label): no L3 tunnel, other domains reach it through the L7 proxy only",
            "warning node edge-1: no agent Lease kube-system/raven-agent-edge-1: is raven agent running there?",
        ]);
        report.Problems.Single(p => p.Subject == "node hz-2").Message.Should().EndWith("the agent stopped renewing it (an active endpoint)");
        report.Problems[0].Severity.Should().Be(StatusProblem.Error);
    }

    [Fact]
    public async Task Status_table_is_the_default_output()
    {
        using var process = RavenProcess.Start(["status", "--kubeconfig", Kubeconfig()]);

        (await process.WaitForExitAsync(Deadline)).Should().BeTrue(process.Output);
        process.ExitCode.Should().Be(0, process.Output);
        process.Lines.Should().Contain(l => l.StartsWith("PROBLEMS (", StringComparison.Ordinal))
            .And.Contain(l => l.StartsWith("GATEWAY gw-hangzhou", StringComparison.Ordinal));
    }

    [GraphvizFact]
    public async Task Graph_writes_an_svg_holding_every_node()
    {
        var svg = Path.Combine(_directory, "cluster.svg");
        using var process = RavenProcess.Start(["graph", "--kubeconfig", Kubeconfig(), "-o", svg]);

        (await process.WaitForExitAsync(Deadline)).Should().BeTrue(process.Output);
        process.ExitCode.Should().Be(0, process.Output);
        XNamespace ns = "http://www.w3.org/2000/svg";
        XDocument.Load(svg).Descendants(ns + "g").Where(g => ((string?)g.Attribute("class"))?.StartsWith("node", StringComparison.Ordinal) ?? false)
            .Select(g => g.Element(ns + "title")!.Value).Should().BeEquivalentTo("cloud-1", "hz-1", "hz-2", "hz-3", "edge-1");
    }

    [Fact]
    public async Task A_cluster_that_cannot_be_read_is_exit_1_and_one_line()
    {
        using var process = RavenProcess.Start(["status", "--kubeconfig", Kubeconfigs.Write(_directory, Kubeconfigs.UnreachableServer), "-o", "json"]);

        (await process.WaitForExitAsync(Deadline)).Should().BeTrue(process.Output);
        process.ExitCode.Should().Be(1, process.Output);
        process.Lines.Should().ContainSingle().Which.Should().StartWith("raven status: cannot read the cluster: ").And.Contain("127.0.0.1:9");
    }

    [Fact]
    public async Task An_unknown_context_is_exit_1_naming_it()
    {
        using var process = RavenProcess.Start(["status", "--kubeconfig", Kubeconfig(), "--context", "no-such-context"]);

        (await process.WaitForExitAsync(Deadline)).Should().BeTrue(process.Output);
        process.ExitCode.Should().Be(1, process.Output);
        process.Lines.Should().ContainSingle().Which.Should().StartWith("raven status: cannot read the cluster: kubeconfig ").And.Contain("no-such-context");
    }

    private string Kubeconfig() => Kubeconfigs.Write(_directory, _cluster.Server.Url.ToString().TrimEnd('/'));

    private async Task AddGatewayAsync(string name, string? expose, int tunnel, int proxy, Endpoint[] spec, string[] active)
    {
        var fixture = new ClusterFixture().Gateway(name, expose, tunnel, proxy, spec, active);
        var gateway = fixture.Gateways[0];
        var status = gateway.Status;
        var gateways = _cluster.Client.CustomObjects(KubeResources.Gateways);
        var created = await gateways.CreateAsync(gateway);
        created.Status = status; // what the controller would have written
        await gateways.ReplaceStatusAsync(created);
    }

    private Task AddNodeAsync(string name, string? gateway, string ip, bool ready) => _cluster.Client.Api.CoreV1.CreateNodeAsync(new V1Node
    {
        Metadata = new() { Name = name, Labels = gateway is null ? null : new Dictionary<string, string> { [WellKnown.GatewayLabel] = gateway } },
        Status = new V1NodeStatus
        {
            Addresses = [new V1NodeAddress { Type = "InternalIP", Address = ip }],
            Conditions = [new V1NodeCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    });

    private Task AddLeaseAsync(string node, DateTime renewed, DataPlaneReport? report) => _cluster.Client.Api.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
    {
        Metadata = new()
        {
            Name = NodeFactsReader.AgentLeasePrefix + node,
            NamespaceProperty = WellKnown.WorkingNamespace,
            Annotations = report is null ? null : new Dictionary<string, string> { [DataPlaneReport.Annotation] = report.Serialize() },
        },
        Spec = new V1LeaseSpec { HolderIdentity = node, LeaseDurationSeconds = 15, RenewTime = renewed },
    }, WellKnown.WorkingNamespace);
}
