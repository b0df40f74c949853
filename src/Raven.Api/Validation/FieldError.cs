namespace Raven.Api.Validation;

/// <summary>Kubernetes field.Error reason types (the causes[].reason values a 422 carries).</summary>
public enum FieldErrorType
{
    Invalid,
    Required,
    Duplicate,
    NotSupported,
    Forbidden,
}

/// <summary>One problem with one field, phrased as the API server phrases it.</summary>
public sealed record FieldError(FieldErrorType Type, string Path, string? BadValue, string Detail, bool IsWarning = false)
{
    public static FieldError Invalid(string path, string? value, string detail) => new(FieldErrorType.Invalid, path, value, detail);
    public static FieldError Required(string path, string detail) => new(FieldErrorType.Required, path, null, detail);
    public static FieldError Duplicate(string path, string? value, string detail) => new(FieldErrorType.Duplicate, path, value, detail);
    public static FieldError NotSupported(string path, string? value, string detail) => new(FieldErrorType.NotSupported, path, value, detail);
    public static FieldError Forbidden(string path, string detail) => new(FieldErrorType.Forbidden, path, null, detail);

    public FieldError AsWarning() => this with { IsWarning = true };

    /// <summary>The causes[].reason of a Kubernetes Status, e.g. FieldValueInvalid.</summary>
    public string Reason => Type switch
    {
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        _ => "FieldValueForbidden",
    };

    /// <summary>The text after the field path, e.g. <c>Invalid value: "1.2.3": must be an IPv4 or IPv6 address</c>.</summary>
    public string Message
    {
        get
        {
            var kind = Type switch
            {
                FieldErrorType.Invalid => "Invalid value",
                FieldErrorType.Required => "Required value",
                FieldErrorType.Duplicate => "Duplicate value",
                FieldErrorType.NotSupported => "Unsupported value",
                _ => "Forbidden",
            };
            var value = BadValue is null ? "" : $" {Quote(BadValue)}";
            return Type is FieldErrorType.Required or FieldErrorType.Forbidden ? $"{kind}: {Detail}" : $"{kind}:{value}: {Detail}";
        }
    }

    /// <summary>The path, once, then the message: how the API server lists a field error.</summary>
    public override string ToString() => $"{Path}: {Message}";

    private static string Quote(string value) =>
        value.Length > 0 && (value[0] is '"' or '{' or '[' || long.TryParse(value, out _) || value is "true" or "false")
            ? value
            : $"\"{value}\"";
}
