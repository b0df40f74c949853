using System.Text.Json;
using System.Text.Json.Nodes;
using Raven.Api;
using Raven.Api.Conversion;
using Raven.Api.Defaulting;
using Raven.Api.Json;
using Raven.Api.Validation;
using Raven.ApiServer;
using Alpha = Raven.Api.V1Alpha1;
using Beta = Raven.Api.V1Beta1;

namespace Raven.ApiServer.Gateways;

/// <summary>
/// The embedded API server's conversion, defaulting and validation for Gateways: the same Raven.Api code
/// that `raven gateway validate` runs, so offline verdicts and admission never disagree.
/// </summary>
public sealed class GatewayResourceHooks : ICustomResourceHooks
{
    public static void Register(CustomResourceHookRegistry registry) =>
        registry.Register(WellKnown.Group, WellKnown.GatewayKind, new GatewayResourceHooks());

    public JsonObject Convert(JsonObject obj, string toVersion)
    {
        var hub = ToHub(obj);
        object target = toVersion == WellKnown.V1Alpha1 ? GatewayConversion.ToV1Alpha1(hub) : hub;
        return (JsonObject)JsonSerializer.SerializeToNode(target, target.GetType(), RavenJson.Options)!;
    }

    public void Default(JsonObject obj, string version)
    {
        var hub = ToHub(obj);
        if (!GatewayDefaults.Apply(hub))
        {
            return;
        }

        var defaulted = Convert(ToJson(hub), version);
        obj.Clear();
        foreach (var (key, value) in defaulted.ToList())
        {
            defaulted.Remove(key);
            obj[key] = value;
        }
    }

    public AdmissionVerdict Validate(JsonObject newObj, JsonObject? oldObj, string version)
    {
        var updated = ToHub(newObj);
        var verdict = oldObj is null
            ? GatewayValidator.ValidateCreate(updated, version)
            : GatewayValidator.ValidateUpdate(updated, ToHub(oldObj), version);
        // The server puts the path in front of each cause's message itself.
        return new AdmissionVerdict(
            verdict.Errors.Select(e => new FieldError(e.Path, e.Message, e.Reason)).ToList(),
            verdict.Warnings.Select(w => w.ToString()).ToList());
    }

    private static Beta.Gateway ToHub(JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]?.GetValue<string>() ?? WellKnown.ApiVersionV1Beta1;
        return apiVersion == WellKnown.ApiVersionV1Alpha1
            ? GatewayConversion.ToV1Beta1(obj.Deserialize<Alpha.Gateway>(RavenJson.Options)!)
            : obj.Deserialize<Beta.Gateway>(RavenJson.Options)!;
    }

    private static JsonObject ToJson(Beta.Gateway gateway) => (JsonObject)JsonSerializer.SerializeToNode(gateway, RavenJson.Options)!;
}
