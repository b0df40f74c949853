using k8s;
using k8s.Models;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Cli.Diagnose;
using Raven.Controller.Runtime;
using Raven.Kube.Client;
using Raven.Lab.Run;
using Raven.TestSupport;
using Xunit.Abstractions;

namespace Raven.Network.Tests.Lab;

/// <summary>
/// `raven diagnose` against the lab's kubeconfig, as an operator runs it: every check passes on the running lab; then
/// three things an operator gets wrong are broken through the API (none of them touches a running data plane) and
/// exactly those three checks fail, each with a remedy; then everything is put back.
/// </summary>
internal static class LabDiagnoseEvidence
{
    /// <summary>Labelled for a Gateway nobody created: a node in no domain although it asks for one.</summary>
    private const string Unassigned = "rvt-ghost-unassigned";

    /// <summary>A node whose agent stopped renewing its Lease five minutes ago.</summary>
    private const string Abandoned = "rvt-ghost-abandoned";

    /// <summary>Named in a Gateway's spec.endpoints, but no such node exists.</summary>
    private const string Missing = "rvt-ghost-missing";

    private const string BrokenGateway = "gw-nowhere";
    private const string EndpointGateway = "gw-qingdao";

    public static async Task AllPassThenThreeFailsAsync(LabRunner lab, KubeClient client, ITestOutputHelper output)
    {
        // The lab's agents renew a 6 s Lease; on a busy machine one may be read a moment late (a WARN), so the healthy
        // report is polled for rather than taken once.
        var (healthyCode, healthy) = await PollAsync(lab, r => r.Results.All(c => c.Status == CheckResult.Pass), TimeSpan.FromSeconds(60));
        output.WriteLine(DiagnoseFormats.ToTable(healthy));
        healthy.Results.Should().OnlyContain(r => r.Status == CheckResult.Pass, DiagnoseFormats.ToTable(healthy));
        healthyCode.Should().Be(0);

        try
        {
            await BreakAsync(client);
            var (brokenCode, broken) = await PollAsync(lab, r => r.Failed >= 3, TimeSpan.FromSeconds(30));
            output.WriteLine(DiagnoseFormats.ToTable(broken));
            brokenCode.Should().Be(1, "a FAIL anywhere makes diagnose exit 1");
            var fails = broken.Results.Where(r => r.Status == CheckResult.Fail).ToList();
            fails.Select(f => f.Check).Should().Equal(["node-gateway", "endpoint-nodes", "agent-leases"], DiagnoseFormats.ToTable(broken));
            fails[0].Message.Should().Contain($"node {Unassigned}").And.Contain($"there is no Gateway {BrokenGateway}");
            fails[1].Message.Should().Contain($"gateway {EndpointGateway}").And.Contain($"there is no node {Missing}");
            fails[2].Message.Should().Contain($"node {Abandoned}").And.Contain("the agent is gone");
            fails.Should().OnlyContain(f => !string.IsNullOrWhiteSpace(f.Remedy) && !f.Remedy!.Contains('\n'));

            // Nodes joining after start-up: the controller, with the shipped RBAC, updates the node-name records.
            (await RecordsNameAsync(client, Unassigned, present: true)).Should().BeTrue($"edge-tunnel-nodes gains {Unassigned} (see the controller's log for a refused update)");
        }
        finally
        {
            await RepairAsync(client);
        }

        (await RecordsNameAsync(client, Unassigned, present: false)).Should().BeTrue($"edge-tunnel-nodes drops {Unassigned} once the node is gone");
    }

    /// <summary>Polls kube-system/edge-tunnel-nodes until a record for <paramref name="node"/> is there (or gone).</summary>
    private static Task<bool> RecordsNameAsync(KubeClient client, string node, bool present) =>
        Poll.TryUntilAsync(async () =>
        {
            var map = await client.Api.CoreV1.ReadNamespacedConfigMapAsync("edge-tunnel-nodes", WellKnown.WorkingNamespace).NullIfNotFound();
            var records = map?.Data is { } data && data.TryGetValue("tunnel-nodes", out var text) ? text : "";
            return records.Split('\n').Any(l => l.EndsWith("\t" + node, StringComparison.Ordinal)) == present;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));

    /// <summary>Runs diagnose until its report satisfies <paramref name="done"/> or the deadline passes; the last run either way.</summary>
    private static async Task<(int Code, DiagnoseReport Report)> PollAsync(LabRunner lab, Func<DiagnoseReport, bool> done, TimeSpan deadline)
    {
        (int Code, DiagnoseReport Report) last = default;
        await Poll.TryUntilAsync(() =>
        {
            var (code, stdout, stderr) = LabRavenCli.Run(lab, "diagnose", "-o", "json");
            var report = stdout.Length > 0 ? DiagnoseFormats.FromJson(stdout) : null;
            report.Should().NotBeNull($"raven diagnose printed a report (exit {code}): {stderr}");
            last = (code, report!);
            return done(report!);
        }, deadline, TimeSpan.FromSeconds(1));
        return last;
    }

    private static async Task BreakAsync(KubeClient client)
    {
        var core = client.Api.CoreV1;
        await core.CreateNodeAsync(Node(Unassigned, BrokenGateway, "192.0.2.251", "10.255.1.0/24"));
        await core.CreateNodeAsync(Node(Abandoned, null, "192.0.2.252", "10.255.2.0/24"));
        await client.Api.CoordinationV1.CreateNamespacedLeaseAsync(Lease(Unassigned, DateTime.UtcNow, seconds: 600), WellKnown.WorkingNamespace);
        await client.Api.CoordinationV1.CreateNamespacedLeaseAsync(Lease(Abandoned, DateTime.UtcNow.AddMinutes(-5), seconds: 15), WellKnown.WorkingNamespace);
        // Appended after the elected endpoints: the controller keeps them (it never elects a node that does not exist).
        await client.CustomObjects(KubeResources.Gateways).UpdateWithRetryAsync(EndpointGateway, null, g =>
        {
            g.Spec.Endpoints = [.. g.Spec.Endpoints ?? [], new Endpoint { NodeName = Missing, Type = WellKnown.EndpointTypeTunnel, UnderNAT = true }];
            return true;
        });
    }

    private static async Task RepairAsync(KubeClient client)
    {
        await client.CustomObjects(KubeResources.Gateways).UpdateWithRetryAsync(EndpointGateway, null, g =>
        {
            var kept = (g.Spec.Endpoints ?? []).Where(e => e.NodeName != Missing).ToList();
            var changed = kept.Count != (g.Spec.Endpoints?.Count ?? 0);
            g.Spec.Endpoints = kept;
            return changed;
        });
        foreach (var node in new[] { Unassigned, Abandoned })
        {
            await client.Api.CoreV1.DeleteNodeAsync(node).NullIfNotFound();
            await client.Api.CoordinationV1.DeleteNamespacedLeaseAsync(NodeFactsReader.AgentLeasePrefix + node, WellKnown.WorkingNamespace).NullIfNotFound();
            // The lab's DaemonSet controller may have bound an agent Pod to the node; no kubelet runs it.
            var pods = await client.Api.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={node}");
            foreach (var pod in pods.Items)
            {
                await client.Api.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty).NullIfNotFound();
            }
        }
    }

    private static V1Node Node(string name, string? gateway, string ip, string podCidr) => new()
    {
        Metadata = new() { Name = name, Labels = gateway is null ? null : new Dictionary<string, string> { [WellKnown.GatewayLabel] = gateway } },
        Spec = new V1NodeSpec { PodCIDR = podCidr, PodCIDRs = [podCidr] },
        Status = new V1NodeStatus
        {
            Addresses = [new V1NodeAddress { Type = "InternalIP", Address = ip }],
            Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
        },
    };

    private static V1Lease Lease(string node, DateTime renewed, int seconds) => new()
    {
        Metadata = new() { Name = NodeFactsReader.AgentLeasePrefix + node, NamespaceProperty = WellKnown.WorkingNamespace },
        Spec = new V1LeaseSpec { HolderIdentity = node, LeaseDurationSeconds = seconds, RenewTime = renewed },
    };
}
