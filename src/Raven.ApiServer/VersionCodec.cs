using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>Moves custom resources between served versions: the registered hook, or "None" conversion without one.</summary>
internal sealed class VersionCodec(CustomResourceHookRegistry hooks)
{
    public ICustomResourceHooks? HooksFor(ResourceType type) => type.IsCustom ? hooks.Find(type.Group, type.Kind) : null;

    public JsonObject ToVersion(ResourceType type, JsonObject obj, string version)
    {
        var target = type.ApiVersion(version);
        if ((obj["apiVersion"] as JsonValue)?.GetValue<string>() == target) return obj;
        var hook = HooksFor(type);
        JsonObject converted;
        try
        {
            converted = hook?.Convert(obj, version) ?? obj;
        }
        catch (Exception e) when (e is not ApiException)
        {
            throw new ApiException(500, "InternalError", $"conversion of {type.Kind} to {target} failed: {e.Message}");
        }

        converted["apiVersion"] = target;
        return converted;
    }
}
