using Raven.Cli.Trace;

namespace Raven.Cli.Tests.Trace;

public sealed class TraceFormatsTests
{
    [Fact]
    public void The_table_leads_with_the_verdict_and_ends_then_one_row_per_hop()
    {
        var report = TraceFixture.Seed().Trace("p-hz-2", "p-qd-2");

        var lines = TraceFormats.ToTable(report).Split('\n');

        lines[0].Should().Be("TRACE p-hz-2 -> p-qd-2: OK");
        lines[1].Should().Be("  from pod default/p-hz-2 on node hz-2 (gw-hangzhou) 10.244.19.2");
        lines[2].Should().Be("  to   pod default/p-qd-2 on node qd-2 (gw-qingdao) 10.244.17.2");
        lines[4].Should().MatchRegex(@"^#\s+HOP\s+NAME\s+ADDRESS\s+HEALTH\s+BASIS\s+REASON$");
        lines.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d+\s")).Should().Be(report.Hops.Count, "a mirror reply is one line, not a second table");
        lines.Last(l => l.Length > 0).Should().Be("REPLY p-qd-2 -> p-hz-2: symmetric: the reply takes the mirror path (qd-1 -> cloud-1 -> hz-1, relayed via gw-cloud (cloud-1))");
    }

    [Fact]
    public void An_asymmetric_reply_gets_its_differences_and_its_own_hops()
    {
        var f = TraceFixture.Seed().Standby("gw-cloud", "cloud-2", "203.0.113.20");
        f.Cluster.Lease("cloud-2", report: Raven.Cli.Tests.Status.ClusterFixture.Report(new Raven.Api.DataPlane.DataPlaneClaim { Serving = true, Epoch = 2 }, ("gw-cloud", "cloud-2")));
        var report = f.Trace("p-hz-2", "p-cloud-2");

        var lines = TraceFormats.ToTable(report).Split('\n');

        lines.Should().Contain("REPLY p-cloud-2 -> p-hz-2: asymmetric: gw-cloud: the request enters at cloud-1, the reply leaves through cloud-2");
        lines.Should().Contain(l => l.StartsWith("  - gw-cloud: the request enters at cloud-1 (", StringComparison.Ordinal));
        lines.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d+\s")).Should().Be(report.Hops.Count + report.ReplyHops!.Count);
        lines.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^#\s+HOP")).Should().Be(2);
    }

    [Fact]
    public void Json_round_trips_and_yaml_carries_the_same_keys()
    {
        var report = TraceFixture.Seed().Trace("p-hz-2", "p-qd-2");

        var json = TraceFormats.Render(report, "json");
        var back = TraceFormats.FromJson(json)!;
        back.Hops.Should().Equal(report.Hops);
        back.From.Should().Be(report.From);
        back.ReplyHops.Should().Equal(report.ReplyHops);
        back.Symmetry.Should().BeEquivalentTo(report.Symmetry);
        json.Should().Contain("\"verdict\": \"OK\"").And.Contain("\"hops\": [").And.Contain("\"replyHops\": [").And.Contain("\"symmetric\": true");
        TraceFormats.Render(report, "yaml").Should().Contain("hops:").And.Contain("basis: planned").And.Contain("replyHops:").And.Contain("symmetry:");
    }

    [Fact]
    public void An_unresolved_end_is_one_line_under_the_verdict()
    {
        var text = TraceFormats.ToTable(TraceFixture.Seed().Trace("p-hz-2", "nope"));

        text.Should().Be("TRACE p-hz-2 -> nope: FAIL\n  DST nope: no pod, node or IP named nope\n");
    }
}
