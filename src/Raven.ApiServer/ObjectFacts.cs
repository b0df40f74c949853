using System.Text.Json;
using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>What selectors look at, extracted once when an object is stored so watches never reparse it.</summary>
internal sealed record ObjectFacts(string Namespace, string Name, IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Fields, string Uid, IReadOnlyList<string> OwnerUids)
{
    private static readonly Dictionary<string, string[]> ExtraFields = new(StringComparer.Ordinal)
    {
        ["/pods"] = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP", "status.nominatedNodeName"],
        ["/events"] =
        [
            "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
            "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
            "reportingComponent", "source", "type",
        ],
        ["/secrets"] = ["type"],
        ["/nodes"] = ["spec.unschedulable"],
        ["/namespaces"] = ["status.phase"],
        ["certificates.k8s.io/certificatesigningrequests"] = ["spec.signerName"],
    };

    public static IReadOnlySet<string> SupportedFields(ResourceType type)
    {
        var set = new HashSet<string>(StringComparer.Ordinal) { "metadata.name", "metadata.namespace" };
        if (ExtraFields.TryGetValue(type.TypeKey, out var extra)) set.UnionWith(extra);
        return set;
    }

    public static ObjectFacts From(string typeKey, JsonObject obj)
    {
        var meta = obj["metadata"] as JsonObject;
        var ns = Str(meta?["namespace"]);
        var name = Str(meta?["name"]);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (meta?["labels"] is JsonObject labelObj)
        {
            foreach (var (k, v) in labelObj) labels[k] = Str(v);
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["metadata.name"] = name, ["metadata.namespace"] = ns };
        if (ExtraFields.TryGetValue(typeKey, out var extra))
        {
            foreach (var path in extra)
            {
                fields[path] = path == "source" ? Str(obj["source"]?["component"]) : Str(Walk(obj, path));
            }
        }

        var owners = (meta?["ownerReferences"] as JsonArray)?.OfType<JsonObject>().Select(o => Str(o["uid"])).Where(u => u.Length > 0).ToList() ?? [];
        return new ObjectFacts(ns, name, labels, fields, Str(meta?["uid"]), owners);
    }

    private static JsonNode? Walk(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var segment in path.Split('.'))
        {
            node = node is JsonObject o ? o[segment] : null;
        }

        return node;
    }

    private static string Str(JsonNode? node) => node is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => v.ToJsonString(),
        }
        : "";
}
