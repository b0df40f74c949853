using System.Globalization;
using Microsoft.Extensions.Logging;
using k8s;
using Raven.Api;
using Raven.Kube.Client;
using Raven.Kube.Observability;
using static Raven.Controller.Tests.Integration.TestCluster;

namespace Raven.Controller.Tests.Integration;

/// <summary>The controller across an API server outage, and what its failover metrics and error logs say.</summary>
public sealed class ControllerOutageTests : IAsyncLifetime
{
    private const int LeaseSeconds = 2;
    private readonly StringWriter _log = new();
    private ILoggerFactory _logs = null!;
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        _logs = RavenLogging.Create(LogLevel.Information, json: false, TextWriter.Synchronized(_log));
        await _cluster.AddNodeAsync("hz-1", "gw-hangzhou", "172.16.2.103", "10.244.18.0/24");
        await _cluster.AddNodeAsync("hz-2", "gw-hangzhou", "172.16.2.104", "10.244.19.0/24");
        await _cluster.Gateways.CreateAsync(Gateway("gw-hangzhou", null, 1, 1,
            Ep("hz-1", "tunnel", true), Ep("hz-1", "proxy", true), Ep("hz-2", "tunnel", true), Ep("hz-2", "proxy", true)));
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _logs.Dispose();
    }

    [Fact]
    public async Task Leases_that_ran_out_while_the_API_server_was_down_do_not_fail_over()
    {
        using var agents = new CancellationTokenSource();
        var renewing = Task.WhenAll(KeepRenewingAsync("hz-1", agents.Token), KeepRenewingAsync("hz-2", agents.Token));
        var controller = _cluster.StartController(logs: _logs);
        var before = await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-1/tunnel,hz-1/proxy", "hz-1 elected");
        var lostBefore = await LostEventsAsync();

        await _cluster.StopServerAsync();
        await Task.Delay(TimeSpan.FromSeconds(LeaseSeconds * 2.5)); // the outage: longer than the agents' lease
        await _cluster.StartServerAgainAsync();
        // The agents renew at once; the controller must give them a lease period before it judges.
        await Task.Delay(TimeSpan.FromSeconds(LeaseSeconds * 3));

        var after = await _cluster.Gateways.GetAsync("gw-hangzhou");
        Actives(after).Should().Be("hz-1/tunnel,hz-1/proxy", $"an outage of the API server is no evidence against hz-1:\n{_log}");
        after.Status.ActiveEndpoints.Should().BeEquivalentTo(before.Status.ActiveEndpoints);
        (await LostEventsAsync()).Should().Be(lostBefore, "no ActiveEndpointLost for an API server outage");
        (await controller.Metrics.Registry.ExportTextAsync()).Should().NotContain("raven_gateway_failovers_total{");
        await agents.CancelAsync();
        await renewing;
    }

    [Fact]
    public async Task A_lease_that_stops_renewing_exports_an_outage_at_least_as_long_as_the_lease()
    {
        await _cluster.RenewAgentLeaseAsync("hz-1", LeaseSeconds);
        var lastRenewal = DateTimeOffset.UtcNow;
        await _cluster.RenewAgentLeaseAsync("hz-2", 3600);
        var controller = _cluster.StartController(logs: _logs);
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-1/tunnel,hz-1/proxy", "hz-1 elected");

        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-2/tunnel,hz-2/proxy", "lease-expiry failover", seconds: 15);
        var failedOverBy = DateTimeOffset.UtcNow;

        var metrics = await EventuallyAsync(() => controller.Metrics.Registry.ExportTextAsync(),
            m => m.Contains("raven_gateway_election_to_status_seconds_count{", StringComparison.Ordinal), "the failover metrics");
        Sample(metrics, "raven_gateway_failover_outage_seconds_count", "tunnel").Should().Be(1, "one failover, one observation");
        Sample(metrics, "raven_gateway_election_to_status_seconds_count", "tunnel").Should().Be(1);
        // With a single observation, each histogram's sum is that failover's duration.
        var outage = Sample(metrics, "raven_gateway_failover_outage_seconds_sum", "tunnel");
        var toStatus = Sample(metrics, "raven_gateway_election_to_status_seconds_sum", "tunnel");
        outage.Should().BeGreaterThanOrEqualTo(LeaseSeconds, "hz-1 was silent at least for its lease before anyone could tell");
        outage.Should().BeLessThanOrEqualTo((failedOverBy - lastRenewal).TotalSeconds + 0.5, "it ends at the election");
        toStatus.Should().BeGreaterThanOrEqualTo(0).And.BeLessThan(outage, "writing the status is a small part of it");
        metrics.Should().NotContain("raven_gateway_last_failover_seconds", "the old series measured only the controller's reaction");
    }

    [Fact]
    public async Task Every_counted_reconcile_error_is_one_log_line_with_its_cause()
    {
        var controller = _cluster.StartController(resync: TimeSpan.FromMilliseconds(500), logs: _logs);
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-1/tunnel,hz-1/proxy", "hz-1 elected");

        await _cluster.StopServerAsync();
        await _cluster.Core.ListNodeAsync().ContinueWith(_ => { }, TaskScheduler.Default); // the client notices
        await EventuallyAsync(async () => Errors(await controller.Metrics.Registry.ExportTextAsync()), e => e >= 3, "reconciles failing while the API server is down");
        await _cluster.StartServerAgainAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));

        var errors = Errors(await controller.Metrics.Registry.ExportTextAsync());
        var lines = _log.ToString().Split('\n').Where(l => l.Contains(" failed (attempt ", StringComparison.Ordinal)).ToList();
        lines.Should().HaveCount((int)errors, $"one line per counted error:\n{_log}");
        lines.Should().OnlyContain(l => l.Contains(_cluster.Server.Url.ToString().TrimEnd('/'), StringComparison.Ordinal),
            "each names its cause: the request and the server that did not answer");
    }

    private async Task KeepRenewingAsync(string node, CancellationToken cancellationToken)
    {
        // What an agent does: renew every third of the lease, retrying within half a second while the API is down.
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = TimeSpan.FromSeconds(LeaseSeconds / 3.0);
            try
            {
                await _cluster.RenewAgentLeaseAsync(node, LeaseSeconds);
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutException || e.IsApiError())
            {
                wait = TimeSpan.FromMilliseconds(300);
            }

            await Task.Delay(wait, CancellationToken.None);
        }
    }

    private async Task<int> LostEventsAsync() =>
        (await _cluster.Core.ListEventForAllNamespacesAsync()).Items.Count(e => e.Reason == WellKnown.EventActiveEndpointLost);

    private static double Errors(string metrics) => SampleMatches(metrics, "raven_controller_reconcile_errors_total").Sum();

    private static double Sample(string metrics, string name, string type) =>
        SampleMatches(metrics, name, $"gateway=\"gw-hangzhou\",type=\"{type}\"").Should().ContainSingle($"{name} is exported:\n{metrics}").Which;

    private static IEnumerable<double> SampleMatches(string metrics, string name, string labels = "") =>
        metrics.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains(labels, StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
