using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>
/// OpenAPI v3 documents, one per served group version: custom resources with their CRD schemas (what
/// <c>kubectl explain</c> reads), built-in kinds with an open object schema. Every kind's PATCH operation lists the
/// <c>fieldValidation</c> parameter, which tells kubectl that the server validates fields itself, so it sends
/// fieldValidation=Strict instead of fetching /openapi/v2 (not served: 404, as with a real server that disables it).
/// </summary>
internal static class OpenApiDocuments
{
    public static JsonObject Root(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var (group, version) in GroupVersions(registry))
        {
            var key = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash(GroupVersion(registry, group, version)!)}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document for /openapi/v3/apis/group/version (or api/v1 for the core group), or null when nothing is served there.</summary>
    public static JsonObject? GroupVersion(ResourceRegistry registry, string group, string version)
    {
        var types = registry.All.Where(t => t.Group == group && t.Serves(version)).ToList();
        if (types.Count == 0) return null;
        var schemas = new JsonObject();
        var paths = new JsonObject();
        foreach (var type in types)
        {
            // kubectl explain finds the kind through the GET operation of the all-namespaces list path.
            JsonObject Gvk() => new() { ["group"] = group, ["version"] = version, ["kind"] = type.Kind };
            var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            paths[$"{prefix}/{type.Plural}"] = new JsonObject
            {
                ["get"] = new JsonObject { ["x-kubernetes-group-version-kind"] = Gvk(), ["responses"] = new JsonObject() },
            };
            var item = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}/{{name}}" : $"{prefix}/{type.Plural}/{{name}}";
            paths[item] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["x-kubernetes-group-version-kind"] = Gvk(),
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                        new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                        new JsonObject { ["name"] = "dryRun", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
                    ["responses"] = new JsonObject(),
                },
            };
            var schema = type.Schemas.TryGetValue(version, out var s) ? (JsonObject)s.DeepClone() : new JsonObject { ["type"] = "object" };
            var properties = schema["properties"] as JsonObject ?? new JsonObject();
            properties["apiVersion"] ??= Field("string", "APIVersion defines the versioned schema of this representation of an object.");
            properties["kind"] ??= Field("string", "Kind is a string value representing the REST resource this object represents.");
            properties["metadata"] ??= Field("object", "Standard object's metadata.");
            schema["properties"] = properties;
            schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = type.Kind });
            schemas[SchemaName(group, version, type.Kind)] = schema;
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes CRD Swagger", ["version"] = "v0.1.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static IEnumerable<(string Group, string Version)> GroupVersions(ResourceRegistry registry) =>
        registry.All.SelectMany(t => t.Versions.Select(v => (t.Group, v))).Distinct();

    private static JsonObject Field(string type, string description) => new() { ["type"] = type, ["description"] = description };

    /// <summary>Reverse-domain name, as Kubernetes names CRD schemas (edge.raven.io → io.raven.edge).</summary>
    private static string SchemaName(string group, string version, string kind) =>
        group.Length == 0 ? $"io.k8s.api.core.{version}.{kind}" : string.Join('.', group.Split('.').Reverse()) + "." + version + "." + kind;

    private static string Hash(JsonObject doc) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(doc.ToJsonString())))[..32];
}
