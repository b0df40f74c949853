using Raven.Agent.Engine;
using Raven.Agent.Health.Protocol;
using Raven.Api;
using Raven.Api.DataPlane;
using Raven.TestSupport;
using k8s;

namespace Raven.Agent.Tests.Engine;

/// <summary>The agent's Lease carries its data-plane report to the API server at once, not at the next renewal.</summary>
public sealed class AgentLeaseReportTests
{
    [Fact]
    public async Task A_published_report_reaches_the_lease_at_once_and_a_withdrawn_one_leaves_it()
    {
        await using var cluster = await EmbeddedCluster.StartAsync();
        // Renewals every 20 s: anything sooner than that was written because of Publish.
        var lease = new AgentLease(cluster.Client, "hz-2", TimeSpan.FromSeconds(60));
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => lease.RunAsync(stop.Token));
        var leases = cluster.Client.Api.CoordinationV1;
        async Task<string?> Annotation()
        {
            try
            {
                var stored = await leases.ReadNamespacedLeaseAsync(lease.Name, WellKnown.WorkingNamespace);
                return stored.Metadata.Annotations?.TryGetValue(DataPlaneReport.Annotation, out var text) == true ? text : null;
            }
            catch (k8s.Autorest.HttpOperationException)
            {
                return "(no lease yet)";
            }
        }

        await Poll.ForAsync(Annotation, a => a is null, "the lease, without a report", TimeSpan.FromSeconds(10));
        var reporter = new DataPlaneReporter(() => new Dictionary<string, string> { ["gw-hangzhou"] = "hz-2" },
            () => new GatewayClaim(Serving: true, Yielding: false, Epoch: 2, Uplink: 1), lease.Publish);
        var text = reporter.PublishOnce();
        var stored = await Poll.ForAsync(Annotation, a => a == text, "the report on the lease", TimeSpan.FromSeconds(5));
        var report = DataPlaneReport.TryParse(stored)!;
        report.Claim.Should().Be(new DataPlaneClaim { Serving = true, Yielding = false, Epoch = 2 });
        report.Serving.Should().Equal(new Dictionary<string, string> { ["gw-hangzhou"] = "hz-2" });

        lease.Publish(null);
        await Poll.ForAsync(Annotation, a => a is null, "the report withdrawn", TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_connection_report_published_to_renew_now_reaches_the_lease_beside_the_data_plane_report_and_leaves_alone()
    {
        await using var cluster = await EmbeddedCluster.StartAsync();
        var lease = new AgentLease(cluster.Client, "hz-2", TimeSpan.FromSeconds(60));
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => lease.RunAsync(stop.Token));
        var leases = cluster.Client.Api.CoordinationV1;
        async Task<IDictionary<string, string>?> Annotations()
        {
            try
            {
                return (await leases.ReadNamespacedLeaseAsync(lease.Name, WellKnown.WorkingNamespace)).Metadata.Annotations ?? new Dictionary<string, string>();
            }
            catch (k8s.Autorest.HttpOperationException)
            {
                return null;
            }
        }

        await Poll.ForAsync(Annotations, a => a is not null, "the lease", TimeSpan.FromSeconds(10));
        var connections = new ConnectionReport { Backend = "wireguard", Role = "serving" }.Serialize();
        lease.Publish("{\"claim\":null,\"serving\":{}}");
        lease.PublishConnections(connections, renewNow: true);
        await Poll.ForAsync(Annotations, a => a is not null && a.TryGetValue(ConnectionReport.Annotation, out var t) && t == connections && a.ContainsKey(DataPlaneReport.Annotation),
            "both reports on the lease", TimeSpan.FromSeconds(5));

        lease.PublishConnections(null, renewNow: true);
        var left = await Poll.ForAsync(Annotations, a => a?.ContainsKey(ConnectionReport.Annotation) == false, "the connection report withdrawn", TimeSpan.FromSeconds(5));
        left!.Should().ContainKey(DataPlaneReport.Annotation);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public void A_member_publishes_its_choices_and_no_claim() =>
        DataPlaneReporter.Render(new Dictionary<string, string> { ["gw-b"] = "b-1", ["gw-a"] = "a-2" }, GatewayClaim.None).Serialize()
            .Should().Be("{\"claim\":null,\"serving\":{\"gw-a\":\"a-2\",\"gw-b\":\"b-1\"}}");
}
