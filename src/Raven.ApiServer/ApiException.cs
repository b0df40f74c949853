using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>A request failure that becomes a Kubernetes Status response; thrown inside the server only.</summary>
internal sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, IReadOnlyList<FieldError>? causes = null,
        string? name = null, string? group = null, string? kind = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Causes = causes ?? [];
        Name = name;
        Group = group;
        Kind = kind;
    }

    public int Code { get; }
    public string Reason { get; }
    public IReadOnlyList<FieldError> Causes { get; }
    public string? Name { get; }
    public string? Group { get; }
    public string? Kind { get; }
    public int? RetryAfterSeconds { get; init; }

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedPlural} \"{name}\" not found", name: name, group: type.Group, kind: type.Plural);

    public static ApiException NotFoundPath(string path) =>
        new(404, "NotFound", $"the server could not find the requested resource ({path})");

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedPlural} \"{name}\" already exists", name: name, group: type.Group, kind: type.Plural);

    public static ApiException Conflict(ResourceType type, string name, string detail) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedPlural} \"{name}\": {detail}",
            name: name, group: type.Group, kind: type.Plural);

    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors) =>
        InvalidKind(type.Kind, type.Group, name, errors);

    /// <summary>422 Invalid as the real server words it: <c>Kind.group "name" is invalid: field: message</c>.</summary>
    public static ApiException InvalidKind(string kind, string group, string name, IReadOnlyList<FieldError> errors)
    {
        var parts = errors.Select(e => e.Field.Length == 0 ? e.Message : $"{e.Field}: {e.Message}").ToList();
        var joined = parts.Count == 1 ? parts[0] : "[" + string.Join(", ", parts) + "]";
        return new(422, "Invalid", $"{kind}{(group.Length > 0 ? "." + group : "")} \"{name}\" is invalid: {joined}",
            errors, name, group, kind);
    }

    /// <summary>504 for a resourceVersion the store has not reached, worded as kube-apiserver's cacher does.</summary>
    public static ApiException TooLargeResourceVersion(long requested, long current) =>
        new(504, "Timeout", $"Timeout: Too large resource version: {requested}, current: {current}",
            [new FieldError("", "Too large resource version", "ResourceVersionTooLarge")]) { RetryAfterSeconds = 1 };

    /// <summary>410 Expired: the history (or snapshot) for that resourceVersion is gone; clients list again.</summary>
    public static ApiException Expired(long requested, long current) =>
        new(410, "Expired", $"too old resource version: {requested} ({current})");

    public static ApiException MethodNotAllowed(string method) =>
        new(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({method})");

    public JsonObject ToStatus()
    {
        var details = new JsonObject();
        if (Name is not null) details["name"] = Name;
        if (Group is { Length: > 0 }) details["group"] = Group;
        if (Kind is not null) details["kind"] = Kind;
        if (Causes.Count > 0)
        {
            details["causes"] = new JsonArray(Causes.Select(c =>
            {
                var cause = new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message };
                if (c.Field.Length > 0) cause["field"] = c.Field;
                return (JsonNode)cause;
            }).ToArray());
        }

        if (RetryAfterSeconds is { } retry) details["retryAfterSeconds"] = retry;

        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
            ["code"] = Code,
        };
        if (details.Count > 0) status["details"] = details;
        return status;
    }
}
