using Raven.Api.DataPlane;
using Raven.Cli.Status;
using static Raven.Cli.Tests.Status.ClusterFixture;

namespace Raven.Cli.Tests.Status;

/// <summary>The path matrix `raven status` shows from the serving endpoints' connection reports, over synthetic snapshots.</summary>
public sealed class TunnelMatrixTests
{
    [Fact]
    public void A_healthy_pair_shows_path_via_rtt_state_handshake_and_ready_standbys_in_both_directions()
    {
        var report = TwoDomains().Report();

        report.Problems.Should().BeEmpty();
        report.Tunnels.Should().HaveCount(2);
        var toHangzhou = report.Tunnels.Single(t => t.From == "gw-cloud");
        toHangzhou.Should().BeEquivalentTo(new TunnelPairReport("gw-cloud", "cloud-1", "gw-hangzhou", "direct", "hz-1", 1.5, 0, "up", 30, ["hz-2"], 5, null));
        report.Tunnels.Single(t => t.From == "gw-hangzhou").Via.Should().Be("cloud-1");
    }

    public static TheoryData<string> Situations => [.. Cases.Keys];

    private static readonly Dictionary<string, (Action<ClusterFixture> Break, string Severity, string Subject, string Message)> Cases = new()
    {
        ["connection down"] = (f => f.Connections("hz-1", Connected("gw-cloud", "cloud-1", state: "down")),
            StatusProblem.Error, "tunnel gw-hangzhou → gw-cloud", "connection hz-1 → cloud-1 is down"),
        ["handshake older than 3 min"] = (f => f.Connections("hz-1", Connected("gw-cloud", "cloud-1", handshakeAgo: 200)),
            StatusProblem.Error, "tunnel gw-hangzhou → gw-cloud", "last handshake hz-1 → cloud-1 200 s ago (over 3 min)"),
        ["no report from an active endpoint"] = (f => f.Connections("cloud-1", null),
            StatusProblem.Warning, "node cloud-1", "active tunnel endpoint of gw-cloud publishes no connection report"),
        ["stale report"] = (f => f.Connections("cloud-1", Connected("gw-hangzhou", "hz-1", sampledAgo: 2 * ConnectionReport.RefreshSeconds + 15 + 1)),
            StatusProblem.Warning, "node cloud-1", "connection report is 76 s old (stale)"),
        ["no path to a domain"] = (f => f.Connections("hz-1", Connected("gw-elsewhere", "x-1")),
            StatusProblem.Error, "tunnel gw-hangzhou → gw-cloud", "hz-1 reports no path to gw-cloud"),
    };

    [Theory]
    [MemberData(nameof(Situations))]
    public void Each_broken_tunnel_is_a_problem_and_its_row_comes_first(string situation)
    {
        var fixture = TwoDomains();
        var (breakIt, severity, subject, message) = Cases[situation];
        breakIt(fixture);

        var report = fixture.Report();

        report.Problems.Should().Contain(p => p.Severity == severity && p.Subject == subject && p.Message.StartsWith(message, StringComparison.Ordinal),
            "the situation \"{0}\" must show; got {1}", situation, string.Join("; ", report.Problems));
        if (subject.StartsWith("tunnel", StringComparison.Ordinal))
        {
            report.Tunnels[0].Problem.Should().StartWith(message);
        }
    }

    [Fact]
    public void An_expired_lease_contributes_no_rows_and_no_second_problem()
    {
        var fixture = TwoDomains().Lease("hz-1", renewedAgo: 60, duration: 15);

        var report = fixture.Report();

        report.Tunnels.Should().ContainSingle().Which.From.Should().Be("gw-cloud");
        report.Problems.Should().NotContain(p => p.Message.Contains("connection report", StringComparison.Ordinal));
    }

    [Fact]
    public void The_table_and_json_show_the_matrix()
    {
        var fixture = TwoDomains();
        fixture.Connections("hz-1", Connected("gw-cloud", "cloud-1", state: "down"));
        var report = fixture.Report();

        var table = StatusTable.Render(report);
        table.Should().Contain("TUNNELS").And.Contain("gw-hangzhou (hz-1)").And.Contain("connection hz-1 → cloud-1 is down");
        table.IndexOf("gw-hangzhou (hz-1)", StringComparison.Ordinal).Should().BeLessThan(table.IndexOf("gw-cloud (cloud-1)", StringComparison.Ordinal), "problem rows first");
        StatusFormats.FromJson(StatusFormats.ToJson(report))!.Tunnels.Should().BeEquivalentTo(report.Tunnels);
        StatusFormats.ToYaml(report).Should().Contain("tunnels:");
    }
}
