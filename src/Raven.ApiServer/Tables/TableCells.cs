using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Raven.ApiServer.Tables;

/// <summary>Small readers the built-in tables share, with the placeholders kubectl's printers use.</summary>
internal static class TableCells
{
    public const string None = "<none>";
    public const string Unknown = "<unknown>";

    public static string Name(JsonObject obj) => Text(obj["metadata"], "name") ?? "";

    /// <summary>translateTimestampSince: the age of metadata.creationTimestamp, "&lt;unknown&gt;" without one.</summary>
    public static string Age(JsonObject obj, DateTimeOffset now) => Since(Text(obj["metadata"], "creationTimestamp"), now);

    public static string Since(string? timestamp, DateTimeOffset now) =>
        Timestamp(timestamp) is { } when ? HumanDuration.Format(now - when) : Unknown;

    public static DateTimeOffset? Timestamp(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) ? when : null;

    public static string? Text(JsonNode? node, string field) =>
        node is JsonObject obj && obj[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static long Integer(JsonNode? node, string field) =>
        node is JsonObject obj && obj[field] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) ? n : 0;

    public static bool Flag(JsonNode? node, string field) =>
        node is JsonObject obj && obj[field] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    public static IEnumerable<JsonObject> Items(JsonNode? node, string field) =>
        node is JsonObject obj && obj[field] is JsonArray list ? list.OfType<JsonObject>() : [];

    public static IEnumerable<string> Strings(JsonNode? node, string field) =>
        node is JsonObject obj && obj[field] is JsonArray list
            ? list.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>())
            : [];

    public static int Count(JsonNode? node, string field) => node is JsonObject obj && obj[field] is JsonObject map ? map.Count : 0;

    /// <summary>labels.FormatLabels: sorted k=v pairs, "&lt;none&gt;" when empty.</summary>
    public static string Pairs(JsonNode? map)
    {
        var pairs = (map as JsonObject)?.Select(p => $"{p.Key}={JsonPath.Print(p.Value)}").Order(StringComparer.Ordinal).ToList() ?? [];
        return pairs.Count == 0 ? None : string.Join(",", pairs);
    }

    public static string OrPlaceholder(string? value, string placeholder) => string.IsNullOrEmpty(value) ? placeholder : value;

    /// <summary>A row in the JSON form Table rows carry (strings, integers, null).</summary>
    public static IReadOnlyList<JsonNode?> Row(params object?[] cells) => cells.Select(c => c switch
    {
        null => null,
        string s => JsonValue.Create(s),
        long n => JsonValue.Create(n),
        int n => JsonValue.Create((long)n),
        JsonNode node => node,
        _ => (JsonNode?)JsonValue.Create(Convert.ToString(c, CultureInfo.InvariantCulture)),
    }).ToList();
}
