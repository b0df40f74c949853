using System.Text.Json;
using System.Text.Json.Nodes;
using Raven.Api;
using Raven.Api.Conversion;
using Raven.Api.Json;
using Alpha = Raven.Api.V1Alpha1;
using Beta = Raven.Api.V1Beta1;

namespace Raven.Controller.Webhooks;

/// <summary>Gateway JSON in either served version ↔ the v1beta1 hub, with errors that name what was wrong.</summary>
public static class GatewayForms
{
    /// <summary>The version part of the object's apiVersion; throws <see cref="WebhookInputException"/> for anything but a Gateway.</summary>
    public static string VersionOf(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            throw new WebhookInputException("expected a Gateway object but got " + (node is null ? "nothing" : node.GetValueKind().ToString()));
        }

        var apiVersion = Text(obj, "apiVersion");
        var kind = Text(obj, "kind");
        if (kind != WellKnown.GatewayKind)
        {
            throw new WebhookInputException($"expected kind {WellKnown.GatewayKind} but got \"{kind}\"");
        }

        return apiVersion switch
        {
            WellKnown.ApiVersionV1Beta1 => WellKnown.V1Beta1,
            WellKnown.ApiVersionV1Alpha1 => WellKnown.V1Alpha1,
            _ => throw new WebhookInputException($"apiVersion \"{apiVersion}\" is not a served Gateway version ({WellKnown.ApiVersionV1Beta1}, {WellKnown.ApiVersionV1Alpha1})"),
        };
    }

    public static Beta.Gateway ToHub(JsonNode? node)
    {
        var version = VersionOf(node);
        try
        {
            return version == WellKnown.V1Alpha1
                ? GatewayConversion.ToV1Beta1(node.Deserialize<Alpha.Gateway>(RavenJson.Options)!)
                : node.Deserialize<Beta.Gateway>(RavenJson.Options)!;
        }
        catch (JsonException ex)
        {
            throw new WebhookInputException($"the {version} Gateway does not match its schema: {ex.Message}");
        }
    }

    /// <summary>The hub serialized as <paramref name="apiVersion"/> (a full group/version).</summary>
    public static JsonObject ToJson(Beta.Gateway hub, string apiVersion)
    {
        object target = apiVersion switch
        {
            WellKnown.ApiVersionV1Beta1 => hub,
            WellKnown.ApiVersionV1Alpha1 => GatewayConversion.ToV1Alpha1(hub),
            _ => throw new WebhookInputException($"cannot convert a Gateway to \"{apiVersion}\": served versions are {WellKnown.ApiVersionV1Beta1} and {WellKnown.ApiVersionV1Alpha1}"),
        };
        return (JsonObject)JsonSerializer.SerializeToNode(target, target.GetType(), RavenJson.Options)!;
    }

    private static string Text(JsonObject obj, string key) =>
        obj[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";
}
