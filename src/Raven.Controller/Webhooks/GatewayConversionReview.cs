using System.Text.Json;
using System.Text.Json.Nodes;

namespace Raven.Controller.Webhooks;

/// <summary>The CRD conversion webhook as a pure function: apiextensions.k8s.io/v1 ConversionReview in and out.</summary>
public static class GatewayConversionReview
{
    public const string Path = "/convert";
    public const string ApiVersion = "apiextensions.k8s.io/v1";
    public const string Kind = "ConversionReview";

    public static WebhookReply Convert(string body)
    {
        JsonObject request;
        try
        {
            request = ParseRequest(body);
        }
        catch (WebhookInputException ex)
        {
            return WebhookReply.BadRequest(ex.Message);
        }

        var uid = AdmissionRequest.Text(request, "uid");
        var desired = AdmissionRequest.Text(request, "desiredAPIVersion");
        var objects = request["objects"] as JsonArray ?? [];
        var converted = new JsonArray();
        for (var i = 0; i < objects.Count; i++)
        {
            try
            {
                converted.Add(ConvertOne(objects[i], desired));
            }
            catch (WebhookInputException ex)
            {
                var name = (objects[i] as JsonObject)?["metadata"] is JsonObject meta ? AdmissionRequest.Text(meta, "name") : "";
                return WebhookReply.Ok(Review(uid, null, $"objects[{i}] (\"{name}\"): {ex.Message}"));
            }
        }

        return WebhookReply.Ok(Review(uid, converted, null));
    }

    private static JsonObject ConvertOne(JsonNode? node, string desired)
    {
        GatewayForms.VersionOf(node);
        var original = (JsonObject)node!;
        if (AdmissionRequest.Text(original, "apiVersion") == desired)
        {
            return (JsonObject)original.DeepClone();
        }

        var converted = GatewayForms.ToJson(GatewayForms.ToHub(original), desired);

        // The API server rejects a conversion that changes metadata other than labels and annotations,
        // so carry the original metadata over verbatim and take only those two from the converted form.
        var metadata = (JsonObject?)original["metadata"]?.DeepClone() ?? [];
        foreach (var key in new[] { "labels", "annotations" })
        {
            if (converted["metadata"]?[key] is { } value)
            {
                metadata[key] = value.DeepClone();
            }
            else
            {
                metadata.Remove(key);
            }
        }

        converted["metadata"] = metadata;
        return converted;
    }

    private static JsonObject ParseRequest(string body)
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

        if (root is not JsonObject review || AdmissionRequest.Text(review, "apiVersion") != ApiVersion || AdmissionRequest.Text(review, "kind") != Kind)
        {
            throw new WebhookInputException($"the body must be an {ApiVersion} {Kind}");
        }

        if (review["request"] is not JsonObject request)
        {
            throw new WebhookInputException("request: Required value: a ConversionReview must carry a request");
        }

        if (AdmissionRequest.Text(request, "uid").Length == 0)
        {
            throw new WebhookInputException("request.uid: Required value");
        }

        if (AdmissionRequest.Text(request, "desiredAPIVersion").Length == 0)
        {
            throw new WebhookInputException("request.desiredAPIVersion: Required value");
        }

        if (request["objects"] is not (JsonArray or null))
        {
            throw new WebhookInputException("request.objects: must be a list");
        }

        return request;
    }

    private static JsonObject Review(string uid, JsonArray? converted, string? failure)
    {
        var result = failure is null
            ? new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }
            : new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Failure", ["message"] = failure };
        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = Kind,
            ["response"] = new JsonObject
            {
                ["uid"] = uid,
                ["convertedObjects"] = converted ?? [],
                ["result"] = result,
            },
        };
    }
}
