using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Prometheus;
using Raven.Agent.Engine;
using Raven.Api.Manifests;
using Raven.Controller.Runtime;
using Raven.TestSupport;

namespace Raven.Cli.Tests.Deploy;

/// <summary>
/// deploy/grafana: the dashboard renders as the ConfigMap Grafana's sidecar loads, and every series its queries read
/// is one the agent or the controller exports (a renamed metric would otherwise leave an empty panel unnoticed).
/// </summary>
public sealed partial class GrafanaDashboardTests
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Path, "deploy", "grafana");

    [Fact]
    public async Task The_dashboard_renders_as_a_config_map_labelled_for_the_grafana_sidecar()
    {
        var (code, yaml, err) = await KubectlProcess.RunAsync(["kustomize", Folder]);

        code.Should().Be(0, err);
        var map = YamlStreamReader.Read(yaml).Should().ContainSingle().Which.Root!.AsObject();
        RenderedOverlay.Text(map, "kind").Should().Be("ConfigMap");
        RenderedOverlay.Text(map["metadata"], "namespace").Should().Be("kube-system");
        RenderedOverlay.Text(map["metadata"]!["labels"], "grafana_dashboard").Should().Be("1");
        var dashboard = JsonNode.Parse(RenderedOverlay.Text(map["data"], "raven-dashboard.json")!)!;
        RenderedOverlay.Text(dashboard, "uid").Should().Be("raven-overview");
    }

    [Fact]
    public async Task Every_metric_the_dashboard_queries_is_exported_by_an_agent_or_the_controller()
    {
        var queried = Queries().SelectMany(q => MetricName().Matches(q).Select(m => m.Value)).Select(BaseName).ToHashSet(StringComparer.Ordinal);
        var exported = await ExportedAsync();

        queried.Should().NotBeEmpty();
        queried.Except(exported).Should().BeEmpty("each queried series must be one a component registers (exported: {0})", string.Join(", ", exported.Order()));
    }

    [Fact]
    public void Every_panel_reads_the_selected_data_source_and_has_a_description()
    {
        var panels = Panels().Where(p => RenderedOverlay.Text(p, "type") != "row").ToList();

        panels.Should().NotBeEmpty();
        panels.Should().OnlyContain(p => RenderedOverlay.Text(p["datasource"], "uid") == "${datasource}" && !string.IsNullOrWhiteSpace(RenderedOverlay.Text(p, "description")));
    }

    private static IEnumerable<JsonObject> Panels() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "raven-dashboard.json")))!["panels"]!.AsArray().Select(p => p!.AsObject());

    private static IEnumerable<string> Queries() =>
        Panels().SelectMany(p => p["targets"]?.AsArray() ?? []).Select(t => RenderedOverlay.Text(t, "expr")!);

    /// <summary>Histogram series carry suffixes the registry does not: map them back to the family's name.</summary>
    private static string BaseName(string series) => HistogramSuffix().Replace(series, "");

    /// <summary>Family names from the text exposition of every registry a Raven component serves on /metrics.</summary>
    private static async Task<HashSet<string>> ExportedAsync()
    {
        var agent = new AgentMetrics();
        _ = new TunnelMetrics(agent.Registry);
        _ = new ConnectionMetrics(agent.Registry);
        _ = new PathMetrics(agent.Registry);
        _ = new ProbeMetrics(agent.Registry);
        _ = new AgentProxyMetrics(agent.Registry);
        var controller = new ControllerMetrics();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var registry in new[] { agent.Registry, controller.Registry })
        {
            using var text = new MemoryStream();
            await registry.CollectAndExportAsTextAsync(text);
            text.Position = 0;
            using var reader = new StreamReader(text);
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
                {
                    names.Add(line.Split(' ')[2]);
                }
            }
        }

        return names;
    }

    [GeneratedRegex("raven_[a-z_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex("_(bucket|count|sum)$")]
    private static partial Regex HistogramSuffix();
}
