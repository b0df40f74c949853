using System.Text;
using k8s;
using k8s.Models;
using Raven.Agent.Tunnel.IPsec;
using Raven.Api;
using Raven.Api.DataPlane;
using Raven.Api.V1Beta1;
using Raven.Cli.Diagnose;
using Raven.Cli.Tests.Status;
using Raven.Cli.Tests.Support;
using Raven.Controller.Runtime;
using Raven.Kube.Client;
using Raven.TestSupport;
using static Raven.Cli.Tests.Status.ClusterFixture;

namespace Raven.Cli.Tests.Diagnose;

/// <summary>`raven diagnose` as a process against the embedded API server: healthy, then with three things broken.</summary>
public sealed partial class DiagnoseCommandIntegrationTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Long enough that a slow machine starting the process never sees a healthy lease expire.</summary>
    private const int LeaseSeconds = 600;

    private static readonly Dictionary<string, string> NodeIps = new()
    {
        ["cloud-1"] = "10.0.0.1", ["hz-1"] = "172.16.2.1", ["hz-2"] = "172.16.2.2", ["hz-3"] = "172.16.2.3", ["sz-1"] = "172.16.3.1",
    };

    private const string PresharedKeyValue = "do-not-print-this-psk-7f3a";

    private readonly string _directory = Directory.CreateTempSubdirectory("raven-diagnose-").FullName;
    private EmbeddedCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await EmbeddedCluster.StartAsync(raven: true);
        var core = _cluster.Client.Api.CoreV1;
        await core.CreateNamespacedConfigMapAsync(ConfigMap(WellKnown.RavenGlobalConfig, new() { [WellKnown.EnableL3TunnelKey] = "true", [WellKnown.EnableL7ProxyKey] = "true" }), WellKnown.WorkingNamespace);
        await core.CreateNamespacedConfigMapAsync(ConfigMap(WellKnown.RavenAgentConfig, new() { ["vpn-driver"] = "ipsec" }), WellKnown.WorkingNamespace);
        await core.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new() { Name = PresharedKey.SecretName, NamespaceProperty = WellKnown.WorkingNamespace },
            Data = new Dictionary<string, byte[]> { [PresharedKey.SecretKey] = Encoding.UTF8.GetBytes(PresharedKeyValue) },
        }, WellKnown.WorkingNamespace);
        await AddGatewayAsync("gw-cloud", "PublicIP", [Tunnel("cloud-1", nat: false, ip: "203.0.113.10"), Proxy("cloud-1", nat: false)], ["cloud-1/tunnel", "cloud-1/proxy"]);
        await AddGatewayAsync("gw-hangzhou", null, [Tunnel("hz-1"), Tunnel("hz-2"), Proxy("hz-1")], ["hz-1/tunnel", "hz-2/tunnel", "hz-1/proxy"]);
        await AddNodeAsync("cloud-1", "gw-cloud", "10.0.0.1", "10.244.0.0/24");
        await AddNodeAsync("hz-1", "gw-hangzhou", "172.16.2.1", "10.244.1.0/24");
        await AddNodeAsync("hz-2", "gw-hangzhou", "172.16.2.2", "10.244.2.0/24");
        await AddNodeAsync("hz-3", "gw-hangzhou", "172.16.2.3", "10.244.3.0/24");
        foreach (var node in new[] { "cloud-1", "hz-1", "hz-2", "hz-3" })
        {
            await AddLeaseAsync(node, DateTime.UtcNow);
        }
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_healthy_cluster_passes_everything_and_exits_0()
    {
        var (exitCode, report, output) = await DiagnoseJsonAsync();

        exitCode.Should().Be(0, output);
        report.Results.Should().OnlyContain(r => r.Status == CheckResult.Pass, output);
        report.Results.Should().HaveCount(15);
        report.Summary.Should().Be("15 passed, 0 warnings, 0 failed");
        report.Results.Single(r => r.Check == "mtu").Message.Should().Be("4 node(s) report route MTU 1440; underlay devices ≥ 1500");
        report.Results.Single(r => r.Check == "psk").Message.Should().Contain("holds vpn-connection-psk (value not shown)");
        output.Should().NotContain(PresharedKeyValue).And.NotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(PresharedKeyValue)));
    }

    [Fact]
    public async Task Three_broken_things_are_three_fails_with_remedies_and_exit_1()
    {
        await AddNodeAsync("sz-1", "gw-shenzhen", "172.16.3.1", "10.244.9.0/24"); // labelled for a Gateway nobody created
        await AddLeaseAsync("sz-1", DateTime.UtcNow);
        var cfg = await _cluster.Client.Api.CoreV1.ReadNamespacedConfigMapAsync(WellKnown.RavenGlobalConfig, WellKnown.WorkingNamespace);
        cfg.Data[WellKnown.EnableL3TunnelKey] = "yes";
        await _cluster.Client.Api.CoreV1.ReplaceNamespacedConfigMapAsync(cfg, WellKnown.RavenGlobalConfig, WellKnown.WorkingNamespace);
        var lease = await _cluster.Client.Api.CoordinationV1.ReadNamespacedLeaseAsync(NodeFactsReader.AgentLeasePrefix + "hz-2", WellKnown.WorkingNamespace);
        lease.Spec.LeaseDurationSeconds = 15;
        lease.Spec.RenewTime = DateTime.UtcNow.AddMinutes(-5); // its agent died five minutes ago
        await _cluster.Client.Api.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, lease.Metadata.Name, WellKnown.WorkingNamespace);

        var (exitCode, report, output) = await DiagnoseJsonAsync();

        exitCode.Should().Be(1, output);
        var fails = report.Results.Where(r => r.Status == CheckResult.Fail).ToList();
        fails.Select(f => (f.Check, f.Message[..f.Message.IndexOf(':', StringComparison.Ordinal)])).Should().Equal(
            ("node-gateway", "node sz-1"),
            ("agent-leases", "node hz-2"),
            ("raven-cfg", "kube-system/raven-cfg enable-l3-tunnel"));
        fails[0].Message.Should().Contain("there is no Gateway gw-shenzhen");
        fails[1].Message.Should().Contain("the agent is gone");
        fails[2].Message.Should().Contain("\"yes\" is neither \"true\" nor \"false\"");
        fails.Should().OnlyContain(f => !string.IsNullOrWhiteSpace(f.Remedy));
        report.Summary.Should().EndWith(", 3 failed");

        using var table = RavenProcess.Start(["diagnose", "--kubeconfig", Kubeconfig()]);
        (await table.WaitForExitAsync(Deadline)).Should().BeTrue(table.Output);
        table.ExitCode.Should().Be(1, table.Output);
        table.Lines.Where(l => l.StartsWith("FAIL  ", StringComparison.Ordinal)).Should().HaveCount(3, table.Output);
        table.Lines.Where(l => l.TrimStart().StartsWith("remedy: ", StringComparison.Ordinal)).Should().HaveCountGreaterThanOrEqualTo(3);
        table.Lines.Should().Contain(l => l.EndsWith(", 3 failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_underlay_device_smaller_than_the_planned_MTU_fails_mtu_with_its_remedy_and_exit_1()
    {
        // What hz-3's agent writes when its LAN device was set to 1400 while raven-agent-config says nothing (1500 planned).
        var leases = _cluster.Client.Api.CoordinationV1;
        var lease = await leases.ReadNamespacedLeaseAsync(NodeFactsReader.AgentLeasePrefix + "hz-3", WellKnown.WorkingNamespace);
        lease.Metadata.Annotations[DataPlaneReport.Annotation] = new DataPlaneReport
        {
            Mtu = DiagnoseFixture.HealthyMtu("172.16.2.3", gateway: false) with { UnderlayDevice = "ens5", UnderlayDeviceMtu = 1400 },
        }.Serialize();
        await leases.ReplaceNamespacedLeaseAsync(lease, lease.Metadata.Name, WellKnown.WorkingNamespace);

        var (exitCode, report, output) = await DiagnoseJsonAsync();

        exitCode.Should().Be(1, output);
        var fail = report.Results.Should().ContainSingle(r => r.Status == CheckResult.Fail, output).Subject;
        fail.Check.Should().Be("mtu");
        fail.Message.Should().Be("node hz-3 (ens5): underlay device MTU 1400, below the underlay MTU 1500 the agent plans with: full-size VXLAN and tunnel packets are fragmented or dropped");
        fail.Remedy.Should().StartWith("set underlay-mtu: \"1400\" in kube-system/raven-agent-config");

        using var table = RavenProcess.Start(["diagnose", "--kubeconfig", Kubeconfig()]);
        (await table.WaitForExitAsync(Deadline)).Should().BeTrue(table.Output);
        table.ExitCode.Should().Be(1, table.Output);
        table.Output.Should().Contain("underlay-mtu: \"1400\"");
    }

    [Fact]
    public async Task Credentials_that_may_not_read_Secrets_warn_in_that_check_and_the_others_still_run()
    {
        var token = await ReaderWithoutSecretsAsync();

        using var process = RavenProcess.Start(["diagnose", "--kubeconfig", TokenKubeconfig(token), "-o", "json"]);

        (await process.WaitForExitAsync(Deadline)).Should().BeTrue(process.Output);
        process.ExitCode.Should().Be(0, process.Output);
        var report = DiagnoseFormats.FromJson(process.Output)!;
        report.Results.Single(r => r.Check == "psk").Should().Match<CheckResult>(r => r.Status == CheckResult.Warn
            && r.Message.StartsWith("cannot read Secret kube-system/raven-agent-secret: ", StringComparison.Ordinal) && r.Message.Contains("403", StringComparison.Ordinal));
        report.Results.Where(r => r.Check != "psk").Should().OnlyContain(r => r.Status == CheckResult.Pass, process.Output);
    }

    /// <summary>
    /// The webhook probe as the loader sends it, against a real server (the embedded one serves no webhooks, so the
    /// configurations are handed in): admitted in both versions, and nothing was stored.
    /// </summary>
    [Fact]
    public async Task The_webhook_dry_runs_are_admitted_and_store_nothing()
    {
        var webhooks = new[] { DiagnoseFixture.Webhook("ValidatingWebhookConfiguration", null) };
        var crd = new V1CustomResourceDefinition { Spec = new() { Conversion = new() { Strategy = "Webhook" } } };
        var before = await _cluster.Client.CustomObjects(KubeResources.Gateways).ListAsync();

        var dryRuns = await DiagnoseSnapshotLoader.WebhookDryRunsAsync(_cluster.Client, webhooks, crd, CancellationToken.None);

        dryRuns.Should().BeEquivalentTo([new WebhookDryRun(WellKnown.V1Beta1, Admitted: true), new WebhookDryRun(WellKnown.V1Alpha1, Admitted: true)]);
        (await _cluster.Client.CustomObjects(KubeResources.Gateways).ListAsync()).Select(g => g.Name).Should().BeEquivalentTo(before.Select(g => g.Name), "a dry run stores nothing");
    }

    [Fact]
    public async Task Yaml_is_the_same_report()
    {
        using var process = RavenProcess.Start(["diagnose", "--kubeconfig", Kubeconfig(), "-o", "yaml"]);

        (await process.WaitForExitAsync(Deadline)).Should().BeTrue(process.Output);
        process.ExitCode.Should().Be(0, process.Output);
        process.Lines.Should().Contain("summary: 15 passed, 0 warnings, 0 failed").And.Contain(l => l.Contains("check: crd", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cluster_that_cannot_be_read_is_exit_1_and_one_line()
    {
        using var process = RavenProcess.Start(["diagnose", "--kubeconfig", Kubeconfigs.Write(_directory, Kubeconfigs.UnreachableServer)]);

        (await process.WaitForExitAsync(Deadline)).Should().BeTrue(process.Output);
        process.ExitCode.Should().Be(1, process.Output);
        process.Lines.Should().ContainSingle().Which.Should().StartWith("raven diagnose: cannot read the cluster: ");
    }

    private async Task<(int ExitCode, DiagnoseReport Report, string Output)> DiagnoseJsonAsync()
    {
        using var process = RavenProcess.Start(["diagnose", "--kubeconfig", Kubeconfig(), "-o", "json"]);
        (await process.WaitForExitAsync(Deadline)).Should().BeTrue(process.Output);
        return (process.ExitCode, DiagnoseFormats.FromJson(process.Output)!, process.Output);
    }

    private string Kubeconfig() => Kubeconfigs.Write(_directory, _cluster.Server.Url.ToString().TrimEnd('/'));

    /// <summary>A ServiceAccount token allowed to read everything diagnose reads except Secrets.</summary>
    private async Task<string> ReaderWithoutSecretsAsync()
    {
        var api = _cluster.Client.Api;
        await api.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new() { Name = "viewer", NamespaceProperty = WellKnown.WorkingNamespace } }, WellKnown.WorkingNamespace);
        string[] read = ["get", "list", "watch"];
        await api.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new() { Name = "raven-viewer" },
            Rules =
            [
                new() { ApiGroups = [""], Resources = ["nodes", "configmaps", "services"], Verbs = read },
                new() { ApiGroups = ["coordination.k8s.io"], Resources = ["leases"], Verbs = read },
                new() { ApiGroups = ["discovery.k8s.io"], Resources = ["endpointslices"], Verbs = read },
                new() { ApiGroups = [WellKnown.Group], Resources = ["gateways"], Verbs = read },
                new() { ApiGroups = ["apiextensions.k8s.io"], Resources = ["customresourcedefinitions"], Verbs = read },
                new() { ApiGroups = ["admissionregistration.k8s.io"], Resources = ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"], Verbs = read },
                new() { ApiGroups = ["crd.projectcalico.org"], Resources = ["blockaffinities"], Verbs = read },
            ],
        });
        await api.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new() { Name = "raven-viewer" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "raven-viewer" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "viewer", NamespaceProperty = WellKnown.WorkingNamespace }],
        });
        var request = await api.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec() }, "viewer", WellKnown.WorkingNamespace);
        return request.Status.Token;
    }

    private string TokenKubeconfig(string token)
    {
        var path = Path.Combine(_directory, "kubeconfig-viewer");
        File.WriteAllText(path, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster: {server: {{_cluster.Server.Url.ToString().TrimEnd('/')}}}
            contexts:
            - name: test
              context: {cluster: test, user: viewer}
            users:
            - name: viewer
              user: {token: {{token}}}
            current-context: test
            """);
        return path;
    }

    private static V1ConfigMap ConfigMap(string name, Dictionary<string, string> data) =>
        new() { Metadata = new() { Name = name, NamespaceProperty = WellKnown.WorkingNamespace }, Data = data };

    private async Task AddGatewayAsync(string name, string? expose, Endpoint[] spec, string[] active)
    {
        var gateway = new ClusterFixture().Gateway(name, expose, tunnel: 1, proxy: 1, spec, active).Gateways[0];
        var status = gateway.Status;
        var gateways = _cluster.Client.CustomObjects(KubeResources.Gateways);
        var created = await gateways.CreateAsync(gateway);
        created.Status = status; // what the controller would have written
        await gateways.ReplaceStatusAsync(created);
    }

    private Task AddNodeAsync(string name, string gateway, string ip, string podCidr) => _cluster.Client.Api.CoreV1.CreateNodeAsync(new V1Node
    {
        Metadata = new() { Name = name, Labels = new Dictionary<string, string> { [WellKnown.GatewayLabel] = gateway } },
        Spec = new V1NodeSpec { PodCIDR = podCidr, PodCIDRs = [podCidr] },
        Status = new V1NodeStatus
        {
            Addresses = [new V1NodeAddress { Type = "InternalIP", Address = ip }],
            Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
        },
    });

    private Task AddLeaseAsync(string node, DateTime renewed)
    {
        // Every agent reports its MTUs (a 1500-byte LAN); the serving endpoints also report their tunnel to the other
        // domain up, as a healthy agent does.
        var annotations = new Dictionary<string, string>
        {
            [DataPlaneReport.Annotation] = new DataPlaneReport { Mtu = DiagnoseFixture.HealthyMtu(NodeIps[node], gateway: node is "cloud-1" or "hz-1" or "hz-2") }.Serialize(),
        };
        if (node switch
            {
                "cloud-1" => ClusterFixture.Connected("gw-hangzhou", "hz-1", sampledAgo: 0, at: renewed),
                "hz-1" => ClusterFixture.Connected("gw-cloud", "cloud-1", sampledAgo: 0, at: renewed),
                _ => null,
            } is { } connections)
        {
            annotations[ConnectionReport.Annotation] = connections.Serialize();
        }

        return _cluster.Client.Api.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new() { Name = NodeFactsReader.AgentLeasePrefix + node, NamespaceProperty = WellKnown.WorkingNamespace, Annotations = annotations },
            Spec = new V1LeaseSpec { HolderIdentity = node, LeaseDurationSeconds = LeaseSeconds, RenewTime = renewed },
        }, WellKnown.WorkingNamespace);
    }
}
