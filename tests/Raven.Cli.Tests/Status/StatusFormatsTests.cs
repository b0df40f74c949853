using Raven.Cli.Commands;
using Raven.Cli.Status;
using static Raven.Cli.Tests.Status.ClusterFixture;

namespace Raven.Cli.Tests.Status;

public sealed class StatusFormatsTests
{
    [Fact]
    public void Json_reads_back_to_the_same_report()
    {
        var fixture = TwoDomains();
        fixture.Node("hz-3", "gw-hangzhou", "172.16.2.3", ready: false);
        var report = fixture.Report();

        var back = StatusFormats.FromJson(StatusCommand.Render(report, StatusCommand.Json))!;

        back.Problems.Should().Equal(report.Problems);
        back.Gateways.Select(g => g.Name).Should().Equal("gw-cloud", "gw-hangzhou");
        back.Gateways[1].TunnelEndpoints.Should().Equal(report.Gateways[1].TunnelEndpoints);
        back.Gateways[1].Nodes.Should().Equal(report.Gateways[1].Nodes);
    }

    [Fact]
    public void Yaml_is_the_same_document()
    {
        var report = TwoDomains().Report();

        var yaml = StatusCommand.Render(report, StatusCommand.Yaml);

        var fromYaml = Raven.Api.Manifests.YamlStreamReader.Read(yaml).Should().ContainSingle().Subject.Root;
        var fromJson = System.Text.Json.Nodes.JsonNode.Parse(StatusCommand.Render(report, StatusCommand.Json));
        System.Text.Json.Nodes.JsonNode.DeepEquals(fromYaml, fromJson).Should().BeTrue($"YAML:\n{yaml}");
    }

    [Fact]
    public void The_table_puts_problems_first_then_each_gateway_with_its_endpoints_and_nodes()
    {
        var fixture = TwoDomains();
        fixture.Lease("hz-4", renewedAgo: 60);

        var lines = StatusCommand.Render(fixture.Report(), StatusCommand.Table).Split('\n');

        var problems = Array.FindIndex(lines, l => l.StartsWith("PROBLEMS (1)", StringComparison.Ordinal));
        var hangzhou = Array.FindIndex(lines, l => l.StartsWith("GATEWAY gw-hangzhou", StringComparison.Ordinal));
        problems.Should().BeGreaterThan(-1);
        hangzhou.Should().BeGreaterThan(problems);
        lines[problems + 2].Should().MatchRegex(@"^  WARNING\s+node hz-4\s+agent Lease expired 45 s ago");
        lines.Should().Contain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^  hz-1\s+tunnel\s+serving\s+-\s+yes\s+serving at epoch 1\s+3/3$"));
        lines.Should().Contain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^  hz-4\s+True\s+172\.16\.2\.4\s+expired\s+60s\s+-$"));
    }
}
