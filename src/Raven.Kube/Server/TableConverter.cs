using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Raven.Kube.Server;

/// <summary>
/// Server-side tables (meta.k8s.io/v1 Table) for custom resources with additionalPrinterColumns, so kubectl get shows
/// those columns. Other resources answer plain JSON, which kubectl prints with its own NAME / AGE columns.
/// </summary>
internal static class TableConverter
{
    public static bool Applies(HttpRequest request, ResourceType type, string version) =>
        type.PrinterColumns.ContainsKey(version) &&
        request.Headers.Accept.Any(a => a is not null && a.Contains("as=Table", StringComparison.Ordinal));

    public static JsonObject Table(ResourceType type, string version, IEnumerable<JsonObject> objects, JsonObject? listMeta,
        bool includeObject, bool includeColumns, TimeProvider clock)
    {
        var printed = type.PrinterColumns[version].OfType<JsonObject>().ToList();
        var definitions = new JsonArray(Column("Name", "string", "name", "Name must be unique within a namespace.", 0));
        foreach (var c in printed)
        {
            definitions.Add(Column(Text(c, "name"), Text(c, "type") ?? "string", Text(c, "format") ?? "", Text(c, "description") ?? "",
                c["priority"] is JsonValue p && p.TryGetValue<int>(out var priority) ? priority : 0));
        }

        var hasAge = printed.Any(c => Text(c, "name") == "Age");
        if (!hasAge) definitions.Add(Column("Age", "date", "", "Time since the object was created.", 0));

        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray(JsonValue.Create(obj["metadata"]?["name"]?.GetValue<string>()));
            foreach (var c in printed) cells.Add(Cell(obj, Text(c, "jsonPath") ?? "", Text(c, "type"), clock));
            if (!hasAge) cells.Add(Cell(obj, ".metadata.creationTimestamp", "date", clock));
            var rowObject = includeObject
                ? obj.DeepClone()
                : new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = obj["metadata"]?.DeepClone() };
            rows.Add(new JsonObject { ["cells"] = cells, ["object"] = rowObject });
        }

        var table = new JsonObject { ["kind"] = "Table", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = listMeta ?? new JsonObject() };
        if (includeColumns) table["columnDefinitions"] = definitions;
        table["rows"] = rows;
        return table;
    }

    private static JsonObject Column(string? name, string type, string format, string description, int priority) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["format"] = format,
        ["description"] = description,
        ["priority"] = priority,
    };

    private static JsonNode? Cell(JsonObject obj, string jsonPath, string? type, TimeProvider clock)
    {
        var value = Select(obj, jsonPath);
        if (type == "date" && value is JsonValue v && v.TryGetValue<string>(out var text) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
        {
            return HumanDuration(clock.GetUtcNow() - when);
        }

        return value switch
        {
            null => null,
            JsonValue scalar => scalar.DeepClone(),
            _ => value.ToJsonString(),
        };
    }

    /// <summary>Follows simple JSONPath such as <c>.status.activeEndpoint.nodeName</c> or <c>.spec.endpoints[0].publicIP</c>.</summary>
    private static JsonNode? Select(JsonNode? node, string path)
    {
        foreach (var part in path.Trim('{', '}').TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? part : part[..bracket];
            node = name.Length == 0 ? node : (node as JsonObject)?[name];
            if (bracket >= 0 && int.TryParse(part[(bracket + 1)..].TrimEnd(']'), CultureInfo.InvariantCulture, out var index))
            {
                node = node is JsonArray a && index >= 0 && index < a.Count ? a[index] : null;
            }
        }

        return node;
    }

    private static string HumanDuration(TimeSpan age)
    {
        var s = (long)Math.Max(0, age.TotalSeconds);
        return s switch
        {
            < 120 => $"{s}s",
            < 600 => $"{s / 60}m{s % 60}s",
            < 3 * 3600 => $"{s / 60}m",
            < 8 * 3600 => $"{s / 3600}h{s % 3600 / 60}m",
            < 48 * 3600 => $"{s / 3600}h",
            < 8 * 86400 => $"{s / 86400}d{s % 86400 / 3600}h",
            _ => $"{s / 86400}d",
        };
    }

    private static string? Text(JsonObject obj, string field) =>
        obj[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
