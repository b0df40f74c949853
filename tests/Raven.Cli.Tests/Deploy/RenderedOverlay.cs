using System.Text.Json.Nodes;
using Raven.Api.Manifests;
using Raven.TestSupport;

namespace Raven.Cli.Tests.Deploy;

/// <summary>What `kubectl kustomize deploy/overlays/NAME` renders, as JSON objects.</summary>
internal sealed class RenderedOverlay
{
    private RenderedOverlay(string name, string yaml, IReadOnlyList<JsonObject> objects)
    {
        Name = name;
        Yaml = yaml;
        Objects = objects;
    }

    public static readonly string[] Names = ["default", "ipsec", "cert-manager", "lab"];

    public string Name { get; }

    public string Yaml { get; }

    public IReadOnlyList<JsonObject> Objects { get; }

    public static async Task<RenderedOverlay> RenderAsync(string name)
    {
        var (code, yaml, err) = await KubectlProcess.RunAsync(["kustomize", Path.Combine(RepositoryRoot.Path, "deploy", "overlays", name)]);
        code.Should().Be(0, err);
        var docs = YamlStreamReader.Read(yaml);
        docs.Should().OnlyContain(d => !d.HasErrors);
        return new RenderedOverlay(name, yaml, docs.Select(d => d.Root!.AsObject()).ToList());
    }

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => Text(o, "kind") == kind);

    public JsonObject Single(string kind, string name) => Objects.Single(o => Text(o, "kind") == kind && Text(o["metadata"], "name") == name);

    public static string? Text(JsonNode? node, string property) => node?[property]?.GetValue<string>();

    public static List<string> Strings(JsonNode? node) => node?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
}
