using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Raven.ApiServer;

/// <summary>Reading and stamping the metadata fields the server owns.</summary>
internal static partial class ObjectMeta
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static JsonObject Of(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta) return meta;
        if (obj["metadata"] is not null) throw ApiException.BadRequest("metadata must be an object");
        meta = new JsonObject();
        obj["metadata"] = meta;
        return meta;
    }

    public static string? Text(JsonObject obj, string field) =>
        obj[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static string Now(TimeProvider clock) =>
        clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string GenerateName(string prefix)
    {
        var suffix = new char[5];
        for (var i = 0; i < suffix.Length; i++) suffix[i] = NameAlphabet[RandomNumberGenerator.GetInt32(NameAlphabet.Length)];
        return prefix + new string(suffix);
    }

    public static IReadOnlyList<string> Finalizers(JsonObject obj) =>
        Of(obj)["finalizers"] is JsonArray list ? list.Select(f => f?.GetValue<string>() ?? "").ToList() : [];

    public static FieldError? ValidateName(string name, bool label)
    {
        var ok = label ? name.Length <= 63 && DnsLabel().IsMatch(name) : name.Length <= 253 && DnsSubdomain().IsMatch(name);
        if (ok) return null;
        var rule = label
            ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
            : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
        return new FieldError("metadata.name", $"Invalid value: \"{name}\": {rule}");
    }

    /// <summary>Copies the fields only the server may set from the stored object onto an incoming one.</summary>
    public static void KeepSystemFields(JsonObject incoming, JsonObject stored)
    {
        var to = Of(incoming);
        var from = Of(stored);
        foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace", "name" })
        {
            if (from[field] is { } value) to[field] = value.DeepClone();
            else to.Remove(field);
        }

        to.Remove("managedFields");
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
