using System.Text.Json.Nodes;

namespace Raven.ApiServer.Tables;

/// <summary>One meta.k8s.io/v1 TableColumnDefinition; kubectl shows priority 0 always and priority 1 with -o wide.</summary>
internal sealed record TableColumn(string Name, string Type, string Description, int Priority = 0, string Format = "")
{
    public static TableColumn ObjectName { get; } = new("Name", "string", "Name must be unique within a namespace.", 0, "name");

    public static TableColumn Age { get; } = new("Age", "string", "Time since the object was created.");

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["format"] = Format,
        ["description"] = Description,
        ["priority"] = Priority,
    };
}

/// <summary>The columns of one kind's table and how to fill a row from an object (all columns, wide ones included).</summary>
internal sealed record TableLayout(IReadOnlyList<TableColumn> Columns, Func<JsonObject, DateTimeOffset, IReadOnlyList<JsonNode?>> Cells);
