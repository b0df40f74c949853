using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Raven.ApiServer;

/// <summary>
/// Typed access to a request's query parameters, checked once: booleans as Go's strconv.ParseBool reads them
/// (python-kubernetes sends <c>watch=True</c>), integers that must be integers, and the list options' rules.
/// </summary>
internal sealed class QueryParameters(IQueryCollection query)
{
    private static readonly string[] TrueWords = ["1", "t", "T", "TRUE", "true", "True"];
    private static readonly string[] FalseWords = ["0", "f", "F", "FALSE", "false", "False"];

    public string? Text(string name) => query[name] is [var value, ..] ? value : null;

    /// <summary>Absent → false; 1, t, T, TRUE, true, True → true; 0, f, F, FALSE, false, False → false; anything else → 400.</summary>
    public bool Bool(string name) => OptionalBool(name) ?? false;

    public bool? OptionalBool(string name)
    {
        var text = Text(name);
        if (text is null) return null;
        if (TrueWords.Contains(text, StringComparer.Ordinal)) return true;
        if (FalseWords.Contains(text, StringComparer.Ordinal)) return false;
        throw ApiException.BadRequest($"invalid value for query parameter {name}: strconv.ParseBool: parsing \"{text}\": invalid syntax");
    }

    /// <summary>timeoutSeconds: a non-negative integer or absent; 0 means no timeout.</summary>
    public TimeSpan? Timeout()
    {
        var text = Text("timeoutSeconds");
        if (string.IsNullOrEmpty(text)) return null;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            throw ApiException.BadRequest($"invalid value for query parameter timeoutSeconds: strconv.ParseInt: parsing \"{text}\": invalid syntax");
        }

        if (seconds < 0) throw ApiException.BadRequest($"invalid value for query parameter timeoutSeconds: {seconds}: must be a non-negative integer");
        return seconds == 0 ? null : TimeSpan.FromSeconds(Math.Min(seconds, int.MaxValue));
    }

    /// <summary>dryRun=All or absent; any other value is a 400, as on a real server.</summary>
    public bool DryRun() => Text("dryRun") switch
    {
        null or "" => false,
        "All" => true,
        var other => throw ApiException.BadRequest($"dryRun: Unsupported value: \"{other}\": supported values: \"All\""),
    };

    /// <summary>fieldValidation: Ignore, Warn (the default) or Strict.</summary>
    public FieldValidation FieldValidation() => Text("fieldValidation") switch
    {
        null or "" or "Warn" => Raven.ApiServer.FieldValidation.Warn,
        "Ignore" => Raven.ApiServer.FieldValidation.Ignore,
        "Strict" => Raven.ApiServer.FieldValidation.Strict,
        var other => throw ApiException.BadRequest($"fieldValidation: Unsupported value: \"{other}\": supported values: \"Ignore\", \"Strict\", \"Warn\""),
    };

    /// <summary>
    /// Checks resourceVersionMatch and sendInitialEvents as the real server's ValidateListOptions does; failures are
    /// 422 on ListOptions.meta.k8s.io.
    /// </summary>
    public void ValidateListOptions(bool watch)
    {
        var match = Text("resourceVersionMatch") ?? "";
        var rv = Text("resourceVersion") ?? "";
        var hasContinue = !string.IsNullOrEmpty(Text("continue"));
        var sendInitialEvents = OptionalBool("sendInitialEvents");
        var errors = new List<FieldError>();
        if (watch)
        {
            if (sendInitialEvents is not null && match != "NotOlderThan")
            {
                errors.Add(Forbidden("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
            }

            if (match.Length > 0)
            {
                if (sendInitialEvents is null) errors.Add(Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
                if (match != "NotOlderThan") errors.Add(NotSupported("resourceVersionMatch", match, "\"NotOlderThan\""));
                if (hasContinue) errors.Add(Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
            }
        }
        else
        {
            if (match.Length > 0)
            {
                if (rv.Length == 0) errors.Add(Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"));
                if (hasContinue) errors.Add(Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
                if (match is not ("Exact" or "NotOlderThan")) errors.Add(NotSupported("resourceVersionMatch", match, "\"Exact\", \"NotOlderThan\", \"\""));
                if (match == "Exact" && rv == "0") errors.Add(Forbidden("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
            }

            if (sendInitialEvents is not null) errors.Add(Forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
        }

        if (errors.Count > 0) throw ApiException.InvalidKind("ListOptions", "meta.k8s.io", "", errors);
    }

    private static FieldError Forbidden(string field, string detail) => new(field, "Forbidden: " + detail, "FieldValueForbidden");

    private static FieldError NotSupported(string field, string value, string supported) =>
        new(field, $"Unsupported value: \"{value}\": supported values: {supported}", "FieldValueNotSupported");
}
