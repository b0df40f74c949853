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

    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors)
    {
        var parts = errors.Select(e => $"{e.Field}: {e.Message}").ToList();
        var joined = parts.Count == 1 ? parts[0] : "[" + string.Join(", ", parts) + "]";
        return new(422, "Invalid", $"{type.Kind}{(type.Group.Length > 0 ? "." + type.Group : "")} \"{name}\" is invalid: {joined}",
            errors, name, type.Group, type.Kind);
    }

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
                (JsonNode)new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message, ["field"] = c.Field }).ToArray());
        }

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
