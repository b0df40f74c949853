using System.Text.Json.Nodes;
using Raven.Api.Manifests;

namespace Raven.Api.Schema;

/// <summary>The Gateway CRD shipped in deploy/crds, embedded so every component reads the same schema.</summary>
public static class GatewayCrd
{
    public const string ResourceName = "raven.openyurt.io_gateways.yaml";

    private static readonly Lazy<JsonObject> Manifest = new(Load);
    private static readonly Lazy<IReadOnlyDictionary<string, StructuralSchema>> Schemas = new(LoadSchemas);

    /// <summary>The whole CustomResourceDefinition object (a fresh copy each call).</summary>
    public static JsonObject Definition() => (JsonObject)Manifest.Value.DeepClone();

    /// <summary>The CRD's YAML text exactly as shipped.</summary>
    public static string Yaml()
    {
        using var stream = typeof(GatewayCrd).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static StructuralSchema SchemaFor(string version) =>
        Schemas.Value.TryGetValue(version, out var schema)
            ? schema
            : throw new ArgumentException($"the Gateway CRD has no version '{version}'", nameof(version));

    public static IReadOnlyCollection<string> Versions => Schemas.Value.Keys.ToList();

    private static JsonObject Load()
    {
        var document = YamlStreamReader.Read(Yaml()).Single();
        return document.Root as JsonObject ?? throw new InvalidOperationException("the embedded Gateway CRD is not a mapping");
    }

    private static IReadOnlyDictionary<string, StructuralSchema> LoadSchemas()
    {
        var result = new Dictionary<string, StructuralSchema>(StringComparer.Ordinal);
        foreach (var version in Manifest.Value["spec"]!["versions"]!.AsArray())
        {
            var name = version!["name"]!.GetValue<string>();
            var schema = version["schema"]!["openAPIV3Schema"]!.AsObject();
            result[name] = StructuralSchema.FromJson(schema);
        }

        return result;
    }
}
