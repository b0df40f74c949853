using System.Text.Json.Nodes;
using Raven.Api;
using Raven.Api.Validation;

namespace Raven.Controller.Webhooks;

/// <summary>Builds admission.k8s.io/v1 AdmissionReview responses.</summary>
public static class AdmissionResponses
{
    public static JsonObject Allowed(string uid, JsonArray? patch = null, IEnumerable<string>? warnings = null)
    {
        var response = new JsonObject { ["uid"] = uid, ["allowed"] = true };
        if (patch is { Count: > 0 })
        {
            response["patchType"] = "JSONPatch";
            response["patch"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(patch.ToJsonString(Raven.Api.Json.RavenJson.Options)));
        }

        AddWarnings(response, warnings);
        return Review(response);
    }

    /// <summary>A 400 verdict: the object itself cannot be read as a Gateway.</summary>
    public static JsonObject BadObject(string uid, string message) => Review(new JsonObject
    {
        ["uid"] = uid,
        ["allowed"] = false,
        ["status"] = new JsonObject
        {
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = "BadRequest",
            ["code"] = 400,
        },
    });

    /// <summary>A 422 Invalid verdict, shaped like apierrors.NewInvalid so kubectl prints every field error.</summary>
    public static JsonObject Invalid(string uid, string name, IReadOnlyList<FieldError> errors, IEnumerable<string>? warnings = null)
    {
        var causes = new JsonArray();
        foreach (var error in errors)
        {
            causes.Add(new JsonObject
            {
                ["reason"] = error.Reason,
                // Kubernetes puts the field in cause.field and the rest ("Invalid value: ...") in cause.message.
                ["message"] = error.Message,
                ["field"] = error.Path,
            });
        }

        var listed = errors.Count == 1 ? errors[0].ToString() : "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]";
        var response = new JsonObject
        {
            ["uid"] = uid,
            ["allowed"] = false,
            ["status"] = new JsonObject
            {
                ["metadata"] = new JsonObject(),
                ["status"] = "Failure",
                ["message"] = $"{WellKnown.GatewayKind}.{WellKnown.Group} \"{name}\" is invalid: {listed}",
                ["reason"] = "Invalid",
                ["details"] = new JsonObject
                {
                    ["name"] = name,
                    ["group"] = WellKnown.Group,
                    ["kind"] = WellKnown.GatewayKind,
                    ["causes"] = causes,
                },
                ["code"] = 422,
            },
        };
        AddWarnings(response, warnings);
        return Review(response);
    }

    private static void AddWarnings(JsonObject response, IEnumerable<string>? warnings)
    {
        var list = warnings?.ToList() ?? [];
        if (list.Count > 0)
        {
            response["warnings"] = new JsonArray(list.Select(w => (JsonNode?)JsonValue.Create(w)).ToArray());
        }
    }

    private static JsonObject Review(JsonObject response) => new()
    {
        ["apiVersion"] = AdmissionRequest.ApiVersion,
        ["kind"] = AdmissionRequest.Kind,
        ["response"] = response,
    };
}
