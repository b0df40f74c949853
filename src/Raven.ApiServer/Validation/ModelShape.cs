using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Raven.ApiServer.Validation;

/// <summary>
/// Walks a JSON object beside the official client's model type (by reflection over its JsonPropertyName properties):
/// finds fields the model does not declare (dropping them, as a real server's typed decoding does) and names every
/// value whose JSON kind the model cannot hold, with its field path.
/// </summary>
internal static class ModelShape
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>> Fields = new();

    /// <summary>Removes undeclared fields in place and returns their paths (<c>spec.foo</c>, <c>spec.ports[0].bar</c>).</summary>
    public static IReadOnlyList<string> PruneUnknown(JsonObject obj, Type model)
    {
        var unknown = new List<string>();
        Walk(obj, model, "", unknown, null);
        return unknown;
    }

    /// <summary>Every value the model cannot hold, e.g. <c>metadata.labels: Invalid value: "array": must be of type map[string]string</c>.</summary>
    public static IReadOnlyList<FieldError> TypeErrors(JsonObject obj, Type model)
    {
        var errors = new List<FieldError>();
        Walk(obj, model, "", null, errors);
        return errors;
    }

    private static void Walk(JsonNode? node, Type type, string path, List<string>? unknown, List<FieldError>? errors)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (node is null || type == typeof(object) || type == typeof(JsonElement) || type == typeof(JsonNode)) return;
        if (Dictionary(type) is { } valueType)
        {
            if (node is not JsonObject map)
            {
                errors?.Add(Mismatch(path, node, type));
                return;
            }

            foreach (var (key, value) in map) Walk(value, valueType, $"{path}[{key}]", unknown, errors);
            return;
        }

        if (List(type) is { } itemType)
        {
            if (node is not JsonArray array)
            {
                errors?.Add(Mismatch(path, node, type));
                return;
            }

            for (var i = 0; i < array.Count; i++) Walk(array[i], itemType, $"{path}[{i}]", unknown, errors);
            return;
        }

        if (IsLeaf(type))
        {
            if (errors is not null && LeafProblem(node, type) is { } problem) errors.Add(new FieldError(path, problem, "FieldValueTypeInvalid"));
            return;
        }

        if (node is not JsonObject obj)
        {
            errors?.Add(Mismatch(path, node, type));
            return;
        }

        var fields = FieldsOf(type);
        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            var child = Join(path, key);
            if (!fields.TryGetValue(key, out var fieldType))
            {
                if (unknown is not null)
                {
                    unknown.Add(child);
                    obj.Remove(key);
                }

                continue;
            }

            Walk(obj[key], fieldType, child, unknown, errors);
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static IReadOnlyDictionary<string, Type> FieldsOf(Type type) => Fields.GetOrAdd(type, t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, p.PropertyType))
            .Where(p => p.Name is not null)
            .ToDictionary(p => p.Name!, p => p.PropertyType, StringComparer.Ordinal));

    private static Type? Dictionary(Type type) =>
        GenericArgument(type, typeof(IDictionary<,>), 1) ?? GenericArgument(type, typeof(IReadOnlyDictionary<,>), 1);

    private static Type? List(Type type) =>
        type == typeof(string) || type == typeof(byte[]) ? null : GenericArgument(type, typeof(IEnumerable<>), 0);

    private static Type? GenericArgument(Type type, Type generic, int index)
    {
        var candidates = type.IsInterface ? type.GetInterfaces().Append(type) : type.GetInterfaces();
        return candidates.FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic)?.GetGenericArguments()[index];
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(byte[]) || type == typeof(DateTime) ||
        type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(decimal) || type == typeof(IntOrString) ||
        type == typeof(ResourceQuantity);

    /// <summary>Why <paramref name="node"/> cannot be read as <paramref name="type"/>, or null when it can.</summary>
    private static string? LeafProblem(JsonNode node, Type type)
    {
        if (node is not JsonValue value) return MustBe(node, type);
        var kind = value.GetValueKind();
        if (type == typeof(string)) return kind == JsonValueKind.String ? null : MustBe(node, type);
        if (type == typeof(bool)) return kind is JsonValueKind.True or JsonValueKind.False ? null : MustBe(node, type);
        if (type == typeof(int) || type == typeof(long))
        {
            if (kind != JsonValueKind.Number) return MustBe(node, type);
            // Parse the JSON text: a value the server built may wrap a CLR int that TryGetValue<long> refuses.
            var text = value.ToJsonString();
            var ok = type == typeof(int)
                ? int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
            return ok ? null : MustBe(node, type);
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return kind == JsonValueKind.Number && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) &&
                double.IsFinite(d) ? null : MustBe(node, type);
        }

        if (type == typeof(IntOrString))
        {
            return kind == JsonValueKind.String ||
                (kind == JsonValueKind.Number && int.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                ? null : MustBe(node, type);
        }

        if (type == typeof(byte[]))
        {
            if (kind != JsonValueKind.String) return MustBe(node, type);
            var text = value.GetValue<string>();
            return Convert.TryFromBase64String(text, new byte[text.Length], out _) ? null : $"Invalid value: {Show(node)}: illegal base64 data";
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            if (kind != JsonValueKind.String) return MustBe(node, type);
            return DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _) &&
                value.GetValue<string>().Contains('T', StringComparison.Ordinal)
                ? null
                : $"Invalid value: {Show(node)}: must be an RFC 3339 date-time, e.g. \"2006-01-02T15:04:05Z\"";
        }

        if (type == typeof(ResourceQuantity))
        {
            if (kind is not (JsonValueKind.String or JsonValueKind.Number)) return MustBe(node, type);
            try
            {
                _ = new ResourceQuantity(kind == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString());
                return null;
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                return $"Invalid value: {Show(node)}: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
            }
        }

        return null;
    }

    private static FieldError Mismatch(string path, JsonNode node, Type type) => new(path, MustBe(node, type), "FieldValueTypeInvalid");

    private static string MustBe(JsonNode node, Type type) => $"Invalid value: {Show(node)}: must be of type {GoType(type)}";

    /// <summary>A value as Kubernetes messages show it: scalars as JSON, objects and arrays by their kind.</summary>
    public static string Show(JsonNode? node) => node switch
    {
        null => "\"null\"",
        JsonObject => "\"object\"",
        JsonArray => "\"array\"",
        _ => Truncate(node.ToJsonString()),
    };

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..77] + "...";

    /// <summary>The type as the Go API types name it, which is what Kubernetes users read in real messages.</summary>
    private static string GoType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "string";
        if (type == typeof(int)) return "int32";
        if (type == typeof(long)) return "int64";
        if (type == typeof(bool)) return "boolean";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return "number";
        if (type == typeof(byte[])) return "string (base64)";
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return "string (RFC 3339 date-time)";
        if (type == typeof(IntOrString)) return "integer or string";
        if (type == typeof(ResourceQuantity)) return "quantity (string or number)";
        if (Dictionary(type) is { } value) return "map[string]" + GoType(value);
        if (List(type) is { } item) return "[]" + GoType(item);
        return "object";
    }
}
