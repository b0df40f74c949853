using System.Text.Json.Nodes;
using static Raven.ApiServer.Tables.TableCells;

namespace Raven.ApiServer.Tables;

/// <summary>kubectl get events: LAST SEEN TYPE REASON OBJECT MESSAGE (no NAME column), more with -o wide.</summary>
internal static class EventTable
{
    public static TableLayout Layout { get; } = new(
    [
        new("Last Seen", "string", "The time at which the most recent occurrence of this event was recorded."),
        new("Type", "string", "Type of this event (Normal, Warning)."),
        new("Reason", "string", "A short, machine understandable string that gives the reason for the transition into the object's current status."),
        new("Object", "string", "The object that this event is about."),
        new("Subobject", "string", "The field of the object the event is about.", 1),
        new("Source", "string", "The component reporting this event.", 1),
        new("Message", "string", "A human-readable description of the status of this operation."),
        new("First Seen", "string", "The time at which the event was first recorded.", 1),
        new("Count", "string", "The number of times this event has occurred.", 1),
        new("Name", "string", "Name must be unique within a namespace.", 1, "name"),
    ], Cells);

    private static IReadOnlyList<JsonNode?> Cells(JsonObject e, DateTimeOffset now)
    {
        var first = Since(Text(e, "firstTimestamp") ?? Text(e, "eventTime"), now);
        var last = Text(e, "lastTimestamp") is { } lastTimestamp ? Since(lastTimestamp, now) : first;
        var count = Integer(e, "count");
        if (e["series"] is { } series)
        {
            last = Since(Text(series, "lastObservedTime"), now);
            count = Integer(series, "count");
        }
        else if (count == 0)
        {
            count = 1;
        }

        var involved = e["involvedObject"];
        var kind = (Text(involved, "kind") ?? "").ToLowerInvariant();
        var target = Text(involved, "name") is { Length: > 0 } name ? $"{kind}/{name}" : kind;
        var component = OrPlaceholder(Text(e["source"], "component"), Text(e, "reportingComponent") ?? "");
        var instance = OrPlaceholder(Text(e["source"], "host"), Text(e, "reportingInstance") ?? "");
        return Row(
            last,
            Text(e, "type") ?? "",
            Text(e, "reason") ?? "",
            target,
            Text(involved, "fieldPath") ?? "",
            instance.Length == 0 ? component : $"{component}, {instance}",
            (Text(e, "message") ?? "").Trim(),
            first,
            count,
            Name(e));
    }
}
