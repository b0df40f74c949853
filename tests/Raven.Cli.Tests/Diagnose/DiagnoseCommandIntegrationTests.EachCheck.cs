using System.Text;
using k8s;
using k8s.Models;
using Raven.Agent.Tunnel.IPsec;
using Raven.Api;
using Raven.Api.DataPlane;
using Raven.Api.V1Beta1;
using Raven.Cli.Diagnose;
using Raven.Controller.Runtime;
using Raven.Kube.Client;
using static Raven.Cli.Tests.Status.ClusterFixture;

namespace Raven.Cli.Tests.Diagnose;

/// <summary>
/// Every check, broken once through the embedded API server the way an operator breaks it, seen by `raven diagnose`
/// as a process: the check FAILs (WARN for the two that have no FAIL), with a remedy, and the exit code follows.
/// </summary>
public sealed partial class DiagnoseCommandIntegrationTests
{
    public static TheoryData<string> Breakages => [.. Breakers.Keys];

    private static readonly Dictionary<string, (Func<DiagnoseCommandIntegrationTests, Task> Break, string Check, string Status, string Message)> Breakers = new()
    {
        ["crd"] = (t => t.UnserveAsync(WellKnown.V1Beta1), "crd", CheckResult.Fail, "does not serve v1beta1"),
        ["node-gateway"] = (t => t.AddNodeAsync("sz-1", "gw-shenzhen", "172.16.3.1", "10.244.9.0/24"), "node-gateway", CheckResult.Fail, "there is no Gateway gw-shenzhen"),
        ["node-addresses"] = (async t =>
        {
            await t._cluster.Client.Api.CoreV1.CreateNodeAsync(new V1Node
            {
                Metadata = new() { Name = "hz-4", Labels = new Dictionary<string, string> { [WellKnown.GatewayLabel] = "gw-hangzhou" } },
                Spec = new V1NodeSpec { PodCIDR = "10.244.4.0/24", PodCIDRs = ["10.244.4.0/24"] },
                Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }] },
            });
            await t.AddEndpointAsync("gw-hangzhou", Tunnel("hz-4"));
        }, "node-addresses", CheckResult.Fail, "node hz-4: status.addresses: no InternalIP address (a gateway endpoint)"),
        ["address-overlap"] = (t => t.AddNodeAsync("hz-4", "gw-hangzhou", "172.16.2.4", "10.244.0.0/16"), "address-overlap", CheckResult.Fail, "share pod CIDRs"),
        ["endpoint-nodes"] = (t => t.AddEndpointAsync("gw-hangzhou", Tunnel("hz-9")), "endpoint-nodes", CheckResult.Fail, "there is no node hz-9"),
        ["active-endpoints"] = (t => t.ActiveEndpointsAsync("gw-hangzhou", ["hz-1/proxy"]), "active-endpoints", CheckResult.Fail, "gateway gw-hangzhou: no active tunnel endpoint in status"),
        ["agent-leases"] = (t => t.RenewedAsync("hz-2", DateTime.UtcNow.AddMinutes(-5), seconds: 15), "agent-leases", CheckResult.Fail, "the agent is gone"),
        ["raven-cfg"] = (t => t.ConfigAsync(WellKnown.RavenGlobalConfig, WellKnown.EnableL3TunnelKey, "yes"), "raven-cfg", CheckResult.Fail, "\"yes\" is neither \"true\" nor \"false\""),
        ["raven-agent-config"] = (t => t.ConfigAsync(WellKnown.RavenAgentConfig, WellKnown.VpnDriverConfigKey, "openvpn"), "raven-agent-config", CheckResult.Fail, "vpn-driver"),
        ["psk"] = (t => t._cluster.Client.Api.CoreV1.DeleteNamespacedSecretAsync(PresharedKey.SecretName, WellKnown.WorkingNamespace), "psk", CheckResult.Fail, "the ipsec backend needs it"),
        ["webhooks"] = (t => t.ConversionWebhookAsync("not a certificate"u8.ToArray()), "webhooks", CheckResult.Fail, "caBundle holds no PEM certificate"),
        ["vpn-drivers"] = (async t =>
        {
            await t.PublishDriverAsync("gw-cloud", "cloud-1", "wireguard");
            await t.PublishDriverAsync("gw-hangzhou", "hz-1", "ipsec");
        }, "vpn-drivers", CheckResult.Fail, "gateways run different VPN drivers"),
        ["tunnel-handshakes"] = (t => t.AnnotateAsync("hz-1", ConnectionReport.Annotation, Connected("gw-cloud", "cloud-1", state: "connecting", sampledAgo: 0, at: DateTimeOffset.UtcNow).Serialize()),
            "tunnel-handshakes", CheckResult.Fail, "connection hz-1 → cloud-1 is connecting"),
        ["mtu"] = (t => t.AnnotateAsync("hz-3", DataPlaneReport.Annotation, new DataPlaneReport
            {
                Mtu = DiagnoseFixture.HealthyMtu("172.16.2.3", gateway: false) with { UnderlayDeviceMtu = 1400 },
            }.Serialize()), "mtu", CheckResult.Fail, "underlay device MTU 1400"),
        ["clock-skew"] = (t => t.RenewedAsync("hz-3", DateTime.UtcNow.AddSeconds(30), seconds: LeaseSeconds), "clock-skew", CheckResult.Warn, "in the future"),
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public async Task Each_check_fails_when_its_part_is_broken(string check)
    {
        var (change, name, status, message) = Breakers[check];
        await change(this);

        var (exitCode, report, output) = await DiagnoseJsonAsync();

        var found = report.Results.Where(r => r.Check == name).ToList();
        found.Should().Contain(r => r.Status == status && r.Message.Contains(message, StringComparison.Ordinal), output);
        found.First(r => r.Status == status && r.Message.Contains(message, StringComparison.Ordinal)).Remedy.Should().NotBeNullOrWhiteSpace();
        exitCode.Should().Be(report.Results.Any(r => r.Status == CheckResult.Fail) ? 1 : 0, output);
    }

    [Fact]
    public void Every_check_has_a_breakage()
    {
        var checks = new DiagnoseFixture().Run().Results.Select(r => r.Check);

        Breakers.Values.Select(b => b.Check).Should().BeEquivalentTo(checks);
    }

    private async Task UnserveAsync(string version)
    {
        var crds = _cluster.Client.Api.ApiextensionsV1;
        var crd = await crds.ReadCustomResourceDefinitionAsync(DiagnoseSnapshotLoader.CrdName);
        crd.Spec.Versions.Single(v => v.Name == version).Served = false;
        await crds.ReplaceCustomResourceDefinitionAsync(crd, crd.Metadata.Name);
    }

    private async Task ConversionWebhookAsync(byte[] caBundle)
    {
        var crds = _cluster.Client.Api.ApiextensionsV1;
        var crd = await crds.ReadCustomResourceDefinitionAsync(DiagnoseSnapshotLoader.CrdName);
        crd.Spec.Conversion = new V1CustomResourceConversion
        {
            Strategy = "Webhook",
            Webhook = new V1WebhookConversion
            {
                ConversionReviewVersions = ["v1"],
                ClientConfig = new Apiextensionsv1WebhookClientConfig
                {
                    CaBundle = caBundle,
                    Service = new Apiextensionsv1ServiceReference { Name = "raven-controller-webhook", NamespaceProperty = WellKnown.WorkingNamespace, Path = "/convert" },
                },
            },
        };
        await crds.ReplaceCustomResourceDefinitionAsync(crd, crd.Metadata.Name);
    }

    private Task AddEndpointAsync(string gateway, Endpoint endpoint) =>
        _cluster.Client.CustomObjects(KubeResources.Gateways).UpdateWithRetryAsync(gateway, null, g =>
        {
            g.Spec.Endpoints = [.. g.Spec.Endpoints ?? [], endpoint];
            return true;
        });

    private Task ActiveEndpointsAsync(string gateway, string[] active) =>
        _cluster.Client.CustomObjects(KubeResources.Gateways).UpdateWithRetryAsync(gateway, null, g =>
        {
            g.Status.ActiveEndpoints = [.. active.Select(a => a.Split('/')).Select(p => new Endpoint { NodeName = p[0], Type = p[1] })];
            return true;
        }, status: true);

    /// <summary>What an agent on an active tunnel endpoint publishes: the VPN driver it runs, in the endpoint's config.</summary>
    private Task PublishDriverAsync(string gateway, string node, string driver) =>
        _cluster.Client.CustomObjects(KubeResources.Gateways).UpdateWithRetryAsync(gateway, null, g =>
        {
            g.Status.ActiveEndpoints!.Single(e => e.NodeName == node && e.Type == WellKnown.EndpointTypeTunnel).Config =
                new Dictionary<string, string> { [WellKnown.VpnDriverConfigKey] = driver };
            return true;
        }, status: true);

    private async Task ConfigAsync(string name, string key, string value)
    {
        var core = _cluster.Client.Api.CoreV1;
        var map = await core.ReadNamespacedConfigMapAsync(name, WellKnown.WorkingNamespace);
        map.Data[key] = value;
        await core.ReplaceNamespacedConfigMapAsync(map, name, WellKnown.WorkingNamespace);
    }

    private async Task RenewedAsync(string node, DateTime renewed, int seconds)
    {
        var leases = _cluster.Client.Api.CoordinationV1;
        var lease = await leases.ReadNamespacedLeaseAsync(NodeFactsReader.AgentLeasePrefix + node, WellKnown.WorkingNamespace);
        lease.Spec.RenewTime = renewed;
        lease.Spec.LeaseDurationSeconds = seconds;
        await leases.ReplaceNamespacedLeaseAsync(lease, lease.Metadata.Name, WellKnown.WorkingNamespace);
    }

    private async Task AnnotateAsync(string node, string annotation, string value)
    {
        var leases = _cluster.Client.Api.CoordinationV1;
        var lease = await leases.ReadNamespacedLeaseAsync(NodeFactsReader.AgentLeasePrefix + node, WellKnown.WorkingNamespace);
        lease.Metadata.Annotations ??= new Dictionary<string, string>();
        lease.Metadata.Annotations[annotation] = value;
        await leases.ReplaceNamespacedLeaseAsync(lease, lease.Metadata.Name, WellKnown.WorkingNamespace);
    }
}
