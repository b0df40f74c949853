using System.Text.Json;
using System.Text.Json.Nodes;
using Raven.Api.Conversion;
using Raven.Api.Defaulting;
using Raven.Api.Json;
using Raven.Api.Schema;
using Raven.Api.Validation;
using Alpha = Raven.Api.V1Alpha1;
using Beta = Raven.Api.V1Beta1;

namespace Raven.Api.Manifests;

/// <summary>
/// Reads Gateway manifests (multi-document YAML or JSON, either version, Lists included) and judges each
/// object exactly as our API server admits it: prune unknown fields, check types, convert to v1beta1,
/// default, validate. Problems carry the document's line numbers.
/// </summary>
public static class GatewayManifestReader
{
    public static IReadOnlyList<GatewayManifest> Read(string text)
    {
        var results = new List<GatewayManifest>();
        foreach (var document in YamlStreamReader.Read(text))
        {
            if (document.Root is null)
            {
                if (document.HasErrors)
                {
                    results.Add(new GatewayManifest { Document = document.Index, Line = document.StartLine, Problems = document.Problems });
                }

                continue; // an empty document (only comments, or "---" twice) is not an object
            }

            results.AddRange(ReadDocument(document));
        }

        return results;
    }

    private static IEnumerable<GatewayManifest> ReadDocument(YamlDocument document)
    {
        if (document.Root is not JsonObject root)
        {
            yield return Failed(document, document.StartLine, "the document is not a mapping (an object with apiVersion, kind, metadata)");
            yield break;
        }

        var kind = Text(root["kind"]);
        if (kind is "List" or WellKnown.GatewayListKind && root["items"] is JsonArray items)
        {
            for (var i = 0; i < items.Count; i++)
            {
                var path = FieldPath.Index("items", i);
                yield return items[i] is JsonObject item
                    ? ReadObject(document, item, path, i == 0 ? document.Problems : [])
                    : Failed(document, document.LineOf(path), $"{path} is not an object");
            }

            yield break;
        }

        yield return ReadObject(document, root, "", document.Problems);
    }

    private static GatewayManifest ReadObject(YamlDocument document, JsonObject original, string basePath, IReadOnlyList<ManifestProblem> textProblems)
    {
        var line = basePath.Length == 0 ? document.StartLine : document.LineOf(basePath);
        var apiVersion = Text(original["apiVersion"]);
        var kind = Text(original["kind"]);
        var name = Text(original["metadata"]?["name"]);
        var problems = new List<ManifestProblem>(textProblems);
        var header = new GatewayManifest { Document = document.Index, Line = line, Name = name, ApiVersion = apiVersion, Kind = kind };

        if (apiVersion is null || kind is null)
        {
            problems.Add(new(ProblemSeverity.Error, line, "apiVersion and kind are required"));
            return With(header, problems);
        }

        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        if (group != WellKnown.Group || kind != WellKnown.GatewayKind)
        {
            problems.Add(new(ProblemSeverity.Warning, line, $"not a {WellKnown.Group} Gateway (kind {kind}, apiVersion {apiVersion}); left alone"));
            return new GatewayManifest
            {
                Document = document.Index, Line = line, Name = name, ApiVersion = apiVersion, Kind = kind, Skipped = true, Problems = problems,
            };
        }

        if (!GatewayCrd.Versions.Contains(version))
        {
            problems.Add(new(ProblemSeverity.Error, line, $"{apiVersion} is not a served version; use {WellKnown.ApiVersionV1Beta1} or {WellKnown.ApiVersionV1Alpha1}"));
            return With(header, problems);
        }

        var source = (JsonObject)original.DeepClone();
        var schemaResult = SchemaWalker.PruneAndCheck(source, GatewayCrd.SchemaFor(version));
        problems.AddRange(schemaResult.PrunedPaths.Select(path => Pruned(document, basePath, path, version)));
        problems.AddRange(schemaResult.Errors.Select(error => Located(document, basePath, error)));

        Beta.Gateway hub;
        try
        {
            hub = version == WellKnown.V1Alpha1
                ? GatewayConversion.ToV1Beta1(source.Deserialize<Alpha.Gateway>(RavenJson.Options)!)
                : source.Deserialize<Beta.Gateway>(RavenJson.Options)!;
        }
        catch (JsonException ex)
        {
            problems.Add(new(ProblemSeverity.Error, document.LineOf(Join(basePath, ex.Path?.TrimStart('$', '.') ?? "")), $"cannot be read as a Gateway: {ex.Message}"));
            return With(header, problems);
        }

        var defaulted = hub.Clone();
        GatewayDefaults.Apply(defaulted);
        var verdict = GatewayValidator.ValidateCreate(defaulted, version);
        var schemaPaths = schemaResult.Errors.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(verdict.Errors.Concat(verdict.Warnings)
            .Where(e => !schemaPaths.Contains(e.Path)) // the schema already said what is wrong there
            .Select(error => Located(document, basePath, error)));

        return new GatewayManifest
        {
            Document = document.Index, Line = line, Name = name, ApiVersion = apiVersion, Kind = kind,
            Gateway = hub, Source = source, Problems = problems.OrderBy(p => p.Line).ToList(),
        };
    }

    private static ManifestProblem Pruned(YamlDocument document, string basePath, string path, string version)
    {
        var existsInBeta = version == WellKnown.V1Alpha1 && KnownIn(GatewayCrd.SchemaFor(WellKnown.V1Beta1), path);
        var message = existsInBeta
            ? $"{path} is not a field of {WellKnown.ApiVersionV1Alpha1}; the API server drops it. It exists in {WellKnown.ApiVersionV1Beta1}: change apiVersion to keep it"
            : $"{path} is not a field of {WellKnown.Group}/{version} Gateway; the API server drops it";
        return new ManifestProblem(ProblemSeverity.Warning, document.LineOf(Join(basePath, path)), message);
    }

    private static bool KnownIn(StructuralSchema schema, string path)
    {
        var current = schema;
        foreach (var segment in path.Replace("[", ".[", StringComparison.Ordinal).Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment.StartsWith('['))
            {
                current = current.Items ?? current.AdditionalProperties;
            }
            else
            {
                current = current.Properties.GetValueOrDefault(segment) ?? current.AdditionalProperties;
            }

            if (current is null)
            {
                return false;
            }
        }

        return true;
    }

    private static ManifestProblem Located(YamlDocument document, string basePath, FieldError error) =>
        new(error.IsWarning ? ProblemSeverity.Warning : ProblemSeverity.Error, document.LineOf(Join(basePath, error.Path)), error.ToString());

    private static string Join(string basePath, string path) =>
        basePath.Length == 0 ? path : path.Length == 0 ? basePath : path.StartsWith('[') ? basePath + path : $"{basePath}.{path}";

    private static GatewayManifest Failed(YamlDocument document, int line, string message) =>
        new() { Document = document.Index, Line = line, Problems = [.. document.Problems, new ManifestProblem(ProblemSeverity.Error, line, message)] };

    private static GatewayManifest With(GatewayManifest header, List<ManifestProblem> problems) => new()
    {
        Document = header.Document, Line = header.Line, Name = header.Name, ApiVersion = header.ApiVersion, Kind = header.Kind, Problems = problems,
    };

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
