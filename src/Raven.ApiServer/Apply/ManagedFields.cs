using System.Text.Json.Nodes;

namespace Raven.ApiServer.Apply;

/// <summary>One metadata.managedFields entry: who set which fields, by which operation, in which version.</summary>
internal sealed class ManagedFieldsEntry
{
    public required string Manager { get; init; }
    public required string Operation { get; init; }
    public required string ApiVersion { get; set; }
    public string? Subresource { get; init; }
    public string? Time { get; set; }
    public required FieldSet Fields { get; set; }

    public bool SameOwner(string manager, string operation, string apiVersion, string? subresource) =>
        Manager == manager && Operation == operation && (Subresource ?? "") == (subresource ?? "") &&
        (operation == ManagedFields.Apply || ApiVersion == apiVersion);

    /// <summary>How conflicts name this owner: <c>"kubectl-client-side-apply" using v1</c>, or just <c>"kubectl"</c> for apply.</summary>
    public string Describe() => Operation == ManagedFields.Update ? $"\"{Manager}\" using {ApiVersion}" : $"\"{Manager}\"";
}

/// <summary>Reading, updating and writing metadata.managedFields in the real server's format (FieldsV1).</summary>
internal static class ManagedFields
{
    public const string Apply = "Apply";
    public const string Update = "Update";

    public static List<ManagedFieldsEntry> Read(JsonObject obj)
    {
        var entries = new List<ManagedFieldsEntry>();
        if (obj["metadata"]?["managedFields"] is not JsonArray list) return entries;
        foreach (var item in list.OfType<JsonObject>())
        {
            if (Text(item, "manager") is not { } manager || Text(item, "operation") is not ({ } operation and (Apply or Update))) continue;
            entries.Add(new ManagedFieldsEntry
            {
                Manager = manager,
                Operation = operation,
                ApiVersion = Text(item, "apiVersion") ?? "",
                Subresource = Text(item, "subresource"),
                Time = Text(item, "time"),
                Fields = FieldSet.FromFieldsV1(item["fieldsV1"] as JsonObject),
            });
        }

        return entries;
    }

    public static void Write(JsonObject obj, IEnumerable<ManagedFieldsEntry> entries)
    {
        var list = new JsonArray();
        foreach (var e in entries.Where(e => !e.Fields.IsEmpty))
        {
            var item = new JsonObject
            {
                ["manager"] = e.Manager,
                ["operation"] = e.Operation,
                ["apiVersion"] = e.ApiVersion,
                ["time"] = e.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = e.Fields.ToFieldsV1(),
            };
            if (!string.IsNullOrEmpty(e.Subresource)) item["subresource"] = e.Subresource;
            list.Add(item);
        }

        var meta = ObjectMeta.Of(obj);
        if (list.Count == 0) meta.Remove("managedFields");
        else meta["managedFields"] = list;
    }

    /// <summary>
    /// A non-apply write: the fields it changed move to <paramref name="manager"/>'s Update entry (taken from every
    /// other owner); fields it removed belong to nobody any more.
    /// </summary>
    public static void RecordUpdate(List<ManagedFieldsEntry> entries, FieldSet changed, JsonObject after, string manager, string apiVersion,
        string? subresource, string now)
    {
        var mine = entries.FirstOrDefault(e => e.SameOwner(manager, Update, apiVersion, subresource));
        if (mine is null)
        {
            mine = new ManagedFieldsEntry { Manager = manager, Operation = Update, ApiVersion = apiVersion, Subresource = subresource, Fields = new FieldSet() };
            entries.Add(mine);
        }

        foreach (var path in changed.Members())
        {
            foreach (var e in entries) e.Fields.Remove(path);
            if (FieldTree.At(after, path).Found) mine.Fields.Insert(path);
        }

        if (!changed.IsEmpty) mine.Time = now;
        entries.RemoveAll(e => e.Fields.IsEmpty);
    }

    /// <summary>The fields of another owner that <paramref name="changed"/> would take, each as (owner, path).</summary>
    public static List<(ManagedFieldsEntry Owner, IReadOnlyList<string> Path)> Conflicts(List<ManagedFieldsEntry> entries, ManagedFieldsEntry applier, FieldSet changed)
    {
        var conflicts = new List<(ManagedFieldsEntry, IReadOnlyList<string>)>();
        foreach (var path in changed.Members())
        {
            foreach (var owner in entries.Where(e => !ReferenceEquals(e, applier) && e.Fields.Contains(path)))
            {
                conflicts.Add((owner, path));
            }
        }

        return conflicts;
    }

    /// <summary>409 worded as kube-apiserver words apply conflicts.</summary>
    public static ApiException ConflictError(List<(ManagedFieldsEntry Owner, IReadOnlyList<string> Path)> conflicts)
    {
        var causes = conflicts.Select(c => new FieldError(FieldSet.Display(c.Path), $"conflict with {c.Owner.Describe()}", "conflict")).ToList();
        string message;
        if (conflicts.Count == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {conflicts[0].Owner.Describe()}: {FieldSet.Display(conflicts[0].Path)}";
        }
        else
        {
            var lines = new List<string>();
            foreach (var group in conflicts.GroupBy(c => c.Owner.Describe()).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                lines.Add($"conflicts with {group.Key}:");
                lines.AddRange(group.Select(c => "- " + FieldSet.Display(c.Path)));
            }

            message = $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
        }

        return new ApiException(409, "Conflict", message, causes);
    }

    private static string? Text(JsonObject obj, string name) => obj[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
