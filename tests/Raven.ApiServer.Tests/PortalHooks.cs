using System.Net;
using System.Text.Json.Nodes;
using Raven.ApiServer;

namespace Raven.ApiServer.Tests;

/// <summary>A test hook for the Portal CRD: v1alpha1 lacks endpoint types, which survive in an annotation.</summary>
internal sealed class PortalHooks : ICustomResourceHooks
{
    private const string TypesAnnotation = "edge.raven.io/endpoint-types";

    public JsonObject Convert(JsonObject obj, string toVersion)
    {
        var copy = (JsonObject)obj.DeepClone();
        var endpoints = copy["spec"]?["endpoints"] as JsonArray ?? [];
        var meta = copy["metadata"] as JsonObject ?? [];
        copy["metadata"] = meta;
        var annotations = meta["annotations"] as JsonObject ?? [];
        if (toVersion == "v1alpha1")
        {
            var types = new JsonArray(endpoints.Select(e => e?["type"]?.DeepClone()).ToArray());
            foreach (var e in endpoints.OfType<JsonObject>()) e.Remove("type");
            annotations[TypesAnnotation] = types.ToJsonString();
            meta["annotations"] = annotations;
        }
        else
        {
            var stashed = annotations[TypesAnnotation] is JsonValue v ? JsonNode.Parse(v.GetValue<string>()) as JsonArray : null;
            for (var i = 0; i < endpoints.Count; i++)
            {
                ((JsonObject)endpoints[i]!)["type"] = stashed is not null && i < stashed.Count ? stashed[i]?.DeepClone() : "tunnel";
            }

            annotations.Remove(TypesAnnotation);
            if (annotations.Count == 0) meta.Remove("annotations");
        }

        return copy;
    }

    public void Default(JsonObject obj, string version)
    {
        if (version != "v1beta1") return;
        foreach (var e in (obj["spec"]?["endpoints"] as JsonArray ?? []).OfType<JsonObject>()) e["type"] ??= "tunnel";
    }

    public AdmissionVerdict Validate(JsonObject newObj, JsonObject? oldObj, string version)
    {
        var errors = new List<FieldError>();
        var endpoints = newObj["spec"]?["endpoints"] as JsonArray ?? [];
        for (var i = 0; i < endpoints.Count; i++)
        {
            var ip = endpoints[i]?["publicIP"]?.GetValue<string>();
            if (ip is not null && !IPAddress.TryParse(ip, out _))
            {
                errors.Add(new FieldError($"spec.endpoints[{i}].publicIP", $"Invalid value: \"{ip}\": must be a valid IP address"));
            }
        }

        return AdmissionVerdict.Rejected(errors);
    }
}
