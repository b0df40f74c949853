using System.Text;
using Raven.Agent.Engine;
using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Paths;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;
using Raven.Api.DataPlane;
using Raven.Api.Net;
using Xunit.Abstractions;
using static Raven.Agent.Tests.Engine.ConnectionReportFixtures;

namespace Raven.Agent.Tests.Engine;

/// <summary>The annotation stays bounded however many domains a gateway reaches; the sizes go to docs/operating.md.</summary>
public sealed class ConnectionReportBudgetTests(ITestOutputHelper output)
{
    /// <summary>A serving gateway reaching <paramref name="domains"/> remote domains directly, each with a serving and a standby endpoint.</summary>
    private static ConnectionReport Hub(int domains, Func<int, TunnelConnectionState>? state = null)
    {
        var names = Enumerable.Range(0, domains).Select(i => $"gw-edge-{i:D4}").ToList();
        var plan = NetworkPlan.Empty(PlanRole.TunnelGateway, "cloud-1", "gw-cloud", []) with
        {
            Tunnel = new TunnelPlan("wireguard", "raven-wg0", 4500, 1420, ValueList<Cidr>.Empty,
                names.SelectMany(g => new[] { Peer(g, g[3..] + "-1"), Peer(g, g[3..] + "-2", standby: true) }).ToValueList()),
            Paths = names.Select(g => new DomainPath(g, PathKind.Direct, g, ValueList<Cidr>.Empty)).ToValueList(),
        };
        var paths = names.Select(g => new DomainPaths(g, PathReading.Direct, null, [new PathReading(PathReading.Direct, HealthState.Up, 12.345, 0.002, 14.1)])).ToList();
        var connections = names.SelectMany((g, i) => new[] { 1, 2 }.Select(n => new TunnelConnection(g, $"{g}-{n}-key-padding-to-44-chars-like-a-key=", state?.Invoke(i) ?? TunnelConnectionState.Up,
            Now.AddSeconds(-75), 123_456_789, 98_765_432) { Node = $"{g[3..]}-{n}", Endpoint = "203.0.113.17:4500" })).ToList();
        return ConnectionReportRenderer.Render(plan, paths, connections, new Dictionary<string, int>(StringComparer.Ordinal), Now)!;
    }

    private static int Bytes(ConnectionReport report) => Encoding.UTF8.GetByteCount(report.Serialize());

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(50)]
    [InlineData(999)]
    public void A_report_stays_within_its_budget(int domains)
    {
        var report = Hub(domains);

        output.WriteLine($"{domains} remote domains (2 endpoints each): {Bytes(report)} bytes, {report.Domains.Count} domains and {report.Connections.Count} connections kept, " +
            $"{report.OmittedDomains} domains and {report.OmittedConnections} connections omitted");
        Bytes(report).Should().BeLessThanOrEqualTo(ConnectionReport.MaxBytes);
        (report.Domains.Count + report.OmittedDomains).Should().Be(domains);
        (report.Connections.Count + report.OmittedConnections).Should().Be(2 * domains);
    }

    [Fact]
    public void A_small_report_is_left_whole()
    {
        var report = Hub(3);

        report.OmittedDomains.Should().Be(0);
        report.OmittedConnections.Should().Be(0);
        report.Serialize().Should().NotContain("omitted");
    }

    [Fact]
    public void A_trimmed_report_keeps_the_connections_that_are_not_up()
    {
        var report = Hub(999, i => i % 100 == 7 ? TunnelConnectionState.Down : TunnelConnectionState.Up);

        report.OmittedConnections.Should().BePositive();
        report.Connections.Where(c => c.State == "down").Should().HaveCount(20);
        report.Connections.Select(c => c.Gateway).Should().BeInAscendingOrder(StringComparer.Ordinal);
        ConnectionReport.TryParse(report.Serialize())!.OmittedConnections.Should().Be(report.OmittedConnections);
    }
}
