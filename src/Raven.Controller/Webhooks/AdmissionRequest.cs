using System.Text.Json;
using System.Text.Json.Nodes;

namespace Raven.Controller.Webhooks;

/// <summary>The parts of an admission.k8s.io/v1 AdmissionReview request the Gateway webhooks use.</summary>
public sealed record AdmissionRequest(string Uid, string Operation, JsonNode? Object, JsonNode? OldObject, string? RequestGroup, string? RequestVersion)
{
    public const string ApiVersion = "admission.k8s.io/v1";
    public const string Kind = "AdmissionReview";

    /// <summary>Parses a review body; throws <see cref="WebhookInputException"/> naming the missing or wrong field.</summary>
    public static AdmissionRequest Parse(string body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new WebhookInputException($"the body is not JSON: {ex.Message}");
        }

        if (root is not JsonObject review)
        {
            throw new WebhookInputException("the body must be an AdmissionReview object");
        }

        var apiVersion = Text(review, "apiVersion");
        var kind = Text(review, "kind");
        if (apiVersion != ApiVersion || kind != Kind)
        {
            throw new WebhookInputException($"expected {ApiVersion} {Kind} but got apiVersion \"{apiVersion}\" kind \"{kind}\"");
        }

        if (review["request"] is not JsonObject request)
        {
            throw new WebhookInputException("request: Required value: an AdmissionReview must carry a request");
        }

        var uid = Text(request, "uid");
        if (uid.Length == 0)
        {
            throw new WebhookInputException("request.uid: Required value");
        }

        var requestKind = request["requestKind"] as JsonObject;
        return new AdmissionRequest(
            uid,
            Text(request, "operation"),
            request["object"],
            request["oldObject"],
            requestKind is null ? null : Text(requestKind, "group"),
            requestKind is null ? null : Text(requestKind, "version"));
    }

    internal static string Text(JsonObject obj, string key) =>
        obj[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";
}
