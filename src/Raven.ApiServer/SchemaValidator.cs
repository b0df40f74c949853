using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Raven.ApiServer;

/// <summary>The common openAPIV3Schema checks (type, required, enum, bounds, lengths, pattern) with Kubernetes field paths.</summary>
internal static class SchemaValidator
{
    public static IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject schema)
    {
        var errors = new List<FieldError>();
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (key, propertySchema) in properties)
            {
                if (key is "metadata" or "apiVersion" or "kind" || propertySchema is not JsonObject ps) continue;
                if (obj.TryGetPropertyValue(key, out var value)) Check(value, ps, key, errors);
            }
        }

        Required(obj, schema, "", errors);
        return errors;
    }

    private static void Check(JsonNode? node, JsonObject schema, string path, List<FieldError> errors)
    {
        if (node is null)
        {
            if (!IsTrue(schema, "nullable")) errors.Add(new FieldError(path, $"Invalid value: \"null\": {path} in body must be of type {schema["type"]}: \"null\""));
            return;
        }

        var type = (schema["type"] as JsonValue)?.GetValue<string>();
        if (type is not null && !IsTrue(schema, "x-kubernetes-int-or-string") && !HasType(node, type))
        {
            errors.Add(new FieldError(path, $"Invalid value: \"{KindName(node)}\": {path} in body must be of type {type}: \"{KindName(node)}\""));
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            var list = string.Join(", ", allowed.Select(a => a?.ToJsonString()));
            errors.Add(new FieldError(path, $"Unsupported value: {node.ToJsonString()}: supported values: {list}", "FieldValueNotSupported"));
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var childSchema = schema["properties"]?[key] as JsonObject ?? schema["additionalProperties"] as JsonObject;
                    if (childSchema is not null) Check(value, childSchema, path + "." + key, errors);
                }

                Required(obj, schema, path + ".", errors);
                break;
            case JsonArray array:
                Bound(array.Count, schema, "minItems", "maxItems", path, "items", errors);
                if (schema["items"] is JsonObject itemSchema)
                {
                    for (var i = 0; i < array.Count; i++) Check(array[i], itemSchema, $"{path}[{i}]", errors);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                Bound(text.Length, schema, "minLength", "maxLength", path, "characters", errors);
                if (schema["pattern"] is JsonValue p && !Regex.IsMatch(text, p.GetValue<string>(), RegexOptions.None, TimeSpan.FromSeconds(1)))
                {
                    errors.Add(new FieldError(path, $"Invalid value: \"{text}\": {path} in body should match '{p.GetValue<string>()}'"));
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                var number = Number(value);
                if (schema["minimum"] is JsonValue min && number < Number(min))
                {
                    errors.Add(new FieldError(path, $"Invalid value: {value.ToJsonString()}: {path} in body should be greater than or equal to {min.ToJsonString()}"));
                }

                if (schema["maximum"] is JsonValue max && number > Number(max))
                {
                    errors.Add(new FieldError(path, $"Invalid value: {value.ToJsonString()}: {path} in body should be less than or equal to {max.ToJsonString()}"));
                }

                break;
        }
    }

    private static void Required(JsonObject obj, JsonObject schema, string prefix, List<FieldError> errors)
    {
        if (schema["required"] is not JsonArray required) return;
        foreach (var name in required.Select(r => r?.GetValue<string>()).OfType<string>())
        {
            if (name is "metadata" or "apiVersion" or "kind") continue;
            if (!obj.ContainsKey(name)) errors.Add(new FieldError(prefix + name, "Required value", "FieldValueRequired"));
        }
    }

    private static void Bound(int actual, JsonObject schema, string minName, string maxName, string path, string unit, List<FieldError> errors)
    {
        if (schema[minName] is JsonValue min && actual < min.GetValue<int>())
        {
            errors.Add(new FieldError(path, string.Create(CultureInfo.InvariantCulture, $"Invalid value: {actual}: {path} in body should have at least {min.GetValue<int>()} {unit}")));
        }

        if (schema[maxName] is JsonValue max && actual > max.GetValue<int>())
        {
            errors.Add(new FieldError(path, string.Create(CultureInfo.InvariantCulture, $"Too many: {actual}: {path} in body should have at most {max.GetValue<int>()} {unit}"), "FieldValueTooMany"));
        }
    }

    /// <summary>
    /// A number whatever holds it: values parsed from JSON convert freely, but values built from a CLR long or int
    /// (YAML bodies, apply results) only read back as that type.
    /// </summary>
    private static double Number(JsonValue value) =>
        value.TryGetValue<double>(out var d) ? d
        : value.TryGetValue<long>(out var l) ? l
        : value.TryGetValue<int>(out var i) ? i
        : value.TryGetValue<decimal>(out var m) ? (double)m
        : double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    private static bool HasType(JsonNode node, string type) => (type, node) switch
    {
        ("object", JsonObject) => true,
        ("array", JsonArray) => true,
        ("string", JsonValue v) => v.GetValueKind() == JsonValueKind.String,
        ("boolean", JsonValue v) => v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        ("number", JsonValue v) => v.GetValueKind() == JsonValueKind.Number,
        ("integer", JsonValue v) => v.GetValueKind() == JsonValueKind.Number && double.IsInteger(Number(v)),
        _ => false,
    };

    private static string KindName(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            _ => "boolean",
        },
        _ => "null",
    };

    private static bool IsTrue(JsonObject schema, string name) =>
        schema[name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
