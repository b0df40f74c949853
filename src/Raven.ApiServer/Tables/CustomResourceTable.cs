using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Raven.ApiServer.Tables;

/// <summary>
/// The table of a custom resource version with additionalPrinterColumns, built as the apiextensions server builds it:
/// Name, then exactly the declared columns (no Age unless declared); each cell is the first value the column's
/// JSONPath selects on the object in the requested version, converted to the column's type, or null.
/// </summary>
internal static class CustomResourceTable
{
    public static TableLayout? For(ResourceType type, string version)
    {
        if (!type.PrinterColumns.TryGetValue(version, out var declared)) return null;
        var columns = new List<TableColumn> { TableColumn.ObjectName };
        var paths = new List<(JsonPath? Path, string Type)>();
        foreach (var column in declared.OfType<JsonObject>())
        {
            var jsonPath = TableCells.Text(column, "jsonPath") ?? "";
            JsonPath.TryParse(jsonPath, out var path, out _);
            var columnType = TableCells.Text(column, "type") ?? "string";
            columns.Add(new TableColumn(
                TableCells.Text(column, "name") ?? "",
                columnType,
                TableCells.Text(column, "description") is { Length: > 0 } description
                    ? description
                    : $"Custom resource definition column (in JSONPath format): {jsonPath}",
                (int)TableCells.Integer(column, "priority"),
                TableCells.Text(column, "format") ?? ""));
            paths.Add((path, columnType));
        }

        return new TableLayout(columns, (obj, now) =>
        {
            var cells = new List<JsonNode?> { JsonValue.Create(TableCells.Name(obj)) };
            foreach (var (path, columnType) in paths)
            {
                var found = path?.Select(obj) ?? [];
                cells.Add(found.Count == 0 ? null : Cell(columnType, found[0], now));
            }

            return cells;
        });
    }

    private static JsonNode? Cell(string columnType, JsonNode? value, DateTimeOffset now)
    {
        if (value is null) return null;
        var kind = value.GetValueKind();
        switch (columnType)
        {
            case "string":
                return JsonValue.Create(JsonPath.Print(value));
            case "integer" when kind == JsonValueKind.Number:
                return value.AsValue().TryGetValue<long>(out var whole) ? JsonValue.Create(whole) : JsonValue.Create((long)value.GetValue<double>());
            case "number" when kind == JsonValueKind.Number:
                return JsonValue.Create(value.GetValue<double>());
            case "boolean" when kind is JsonValueKind.True or JsonValueKind.False:
                return JsonValue.Create(kind == JsonValueKind.True);
            case "date" when kind == JsonValueKind.String:
                return JsonValue.Create(DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal, out var when) ? HumanDuration.Format(now - when) : "<invalid>");
            default:
                return null;
        }
    }
}
