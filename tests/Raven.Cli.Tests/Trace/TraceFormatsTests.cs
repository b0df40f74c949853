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
        lines.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d+\s")).Should().Be(report.Hops.Count);
    }

    [Fact]
    public void Json_round_trips_and_yaml_carries_the_same_keys()
    {
        var report = TraceFixture.Seed().Trace("p-hz-2", "p-qd-2");

        var json = TraceFormats.Render(report, "json");
        var back = TraceFormats.FromJson(json)!;
        back.Hops.Should().Equal(report.Hops);
        back.From.Should().Be(report.From);
        json.Should().Contain("\"verdict\": \"OK\"");
        TraceFormats.Render(report, "yaml").Should().Contain("hops:").And.Contain("basis: planned");
    }

    [Fact]
    public void An_unresolved_end_is_one_line_under_the_verdict()
    {
        var text = TraceFormats.ToTable(TraceFixture.Seed().Trace("p-hz-2", "nope"));

        text.Should().Be("TRACE p-hz-2 -> nope: FAIL\n  DST nope: no pod, node or IP named nope\n");
    }
}
