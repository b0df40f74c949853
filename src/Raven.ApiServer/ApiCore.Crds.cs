using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>CustomResourceDefinitions: validation, server-managed status and serving their resources.</summary>
internal sealed partial class ApiCore
{
    private static string CrdTypeKey(JsonObject crd) =>
        (crd["spec"]?["group"]?.GetValue<string>() ?? "") + "/" + (crd["spec"]?["names"]?["plural"]?.GetValue<string>() ?? "");

    private void PrepareCrd(JsonObject crd)
    {
        var type = ParseCrd(crd, out var errors);
        var name = ObjectMeta.Text(ObjectMeta.Of(crd), "name") ?? "";
        if (type is not null && name != type.Plural + "." + type.Group)
        {
            errors.Add(new FieldError("metadata.name", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group"));
        }

        if (type is not null && BuiltinResources.All.Any(b => b.TypeKey == type.TypeKey))
        {
            errors.Add(new FieldError("spec.names.plural", $"Invalid value: \"{type.Plural}\": conflicts with a built-in resource"));
        }

        if (errors.Count > 0) throw ApiException.Invalid(BuiltinResources.CustomResourceDefinitions, name, errors);

        var names = crd["spec"]!["names"]!.DeepClone().AsObject();
        names["singular"] ??= type!.Singular;
        names["listKind"] ??= type!.ListKind;
        var stored = (crd["status"]?["storedVersions"] as JsonArray)?.Select(v => v?.GetValue<string>()).OfType<string>().ToList() ?? [];
        if (!stored.Contains(type!.StorageVersion)) stored.Add(type.StorageVersion);
        var now = ObjectMeta.Now(_clock);
        crd["status"] = new JsonObject
        {
            ["acceptedNames"] = names,
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now)),
            ["storedVersions"] = new JsonArray(stored.Select(v => (JsonNode)v!).ToArray()),
        };
    }

    private void RegisterCrd(JsonObject crd)
    {
        var type = ParseCrd(crd, out var errors);
        if (type is null || errors.Count > 0) return;
        var existing = _registry.FindByKey(type.TypeKey);
        if (existing is { IsCustom: false }) return;
        _registry.SetCustom(type.TypeKey, type);
    }

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };

    /// <summary>The served resource a CRD describes, or null with the reasons it cannot be served.</summary>
    private static ResourceType? ParseCrd(JsonObject crd, out List<FieldError> errors)
    {
        errors = [];
        var spec = crd["spec"] as JsonObject;
        var group = Text(spec, "group");
        var names = spec?["names"] as JsonObject;
        var plural = Text(names, "plural");
        var kind = Text(names, "kind");
        var scope = Text(spec, "scope");
        if (string.IsNullOrEmpty(group)) errors.Add(new FieldError("spec.group", "Required value", "FieldValueRequired"));
        if (string.IsNullOrEmpty(plural)) errors.Add(new FieldError("spec.names.plural", "Required value", "FieldValueRequired"));
        if (string.IsNullOrEmpty(kind)) errors.Add(new FieldError("spec.names.kind", "Required value", "FieldValueRequired"));
        if (scope is not ("Namespaced" or "Cluster"))
        {
            errors.Add(new FieldError("spec.scope", $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\"", "FieldValueNotSupported"));
        }

        var versions = (spec?["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (versions.Count == 0) errors.Add(new FieldError("spec.versions", "Required value: must have at least one version", "FieldValueRequired"));
        var storage = versions.Where(v => v["storage"] is JsonValue s && s.TryGetValue<bool>(out var b) && b).ToList();
        if (versions.Count > 0 && storage.Count != 1)
        {
            errors.Add(new FieldError("spec.versions", "Invalid value: must have exactly one version marked as storage version"));
        }

        for (var i = 0; i < versions.Count; i++)
        {
            var printed = (versions[i]["additionalPrinterColumns"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            for (var j = 0; j < printed.Count; j++)
            {
                var path = Text(printed[j], "jsonPath") ?? "";
                var problem = path.Length == 0 ? "must not be empty" : path[0] != '.' ? "must be a simple json path starting with ." : null;
                if (problem is not null)
                {
                    errors.Add(new FieldError($"spec.versions[{i}].additionalPrinterColumns[{j}].jsonPath",
                        $"Invalid value: \"{path.Replace("\"", "\\\"", StringComparison.Ordinal)}\": {problem}"));
                }
            }
        }

        if (errors.Count > 0) return null;

        var served = versions.Where(v => v["served"] is JsonValue s && s.TryGetValue<bool>(out var b) && b)
            .Select(v => Text(v, "name")!).OrderByDescending(KubeVersionOrder.Priority).ToList();
        var schemas = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var columns = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        foreach (var v in versions)
        {
            if (v["additionalPrinterColumns"] is JsonArray { Count: > 0 } printed) columns[Text(v, "name")!] = (JsonArray)printed.DeepClone();
            var schema = v["schema"]?["openAPIV3Schema"] as JsonObject ?? spec?["validation"]?["openAPIV3Schema"] as JsonObject;
            if (schema is not null) schemas[Text(v, "name")!] = (JsonObject)schema.DeepClone();
        }

        return new ResourceType
        {
            Group = group!,
            Plural = plural!,
            Singular = Text(names, "singular") ?? kind!.ToLowerInvariant(),
            Kind = kind!,
            Namespaced = scope == "Namespaced",
            Versions = served,
            StorageVersion = Text(storage[0], "name")!,
            ShortNames = (names?["shortNames"] as JsonArray)?.Select(n => n?.GetValue<string>()).OfType<string>().ToList() ?? [],
            Categories = (names?["categories"] as JsonArray)?.Select(n => n?.GetValue<string>()).OfType<string>().ToList() ?? [],
            HasStatus = versions.Any(v => v["subresources"]?["status"] is not null) || spec?["subresources"]?["status"] is not null,
            IsCustom = true,
            Schemas = schemas,
            PrinterColumns = columns,
        };
    }

    private static string? Text(JsonObject? obj, string field) => obj is null ? null : ObjectMeta.Text(obj, field);
}
