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
        // An object the typed model cannot read gets no defaults; Validate reports why.
        if (!TryToHub(obj, out var hub, out _)) return;
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
        // The server checks the CRD schema first; what it cannot express (e.g. a port beyond Int32) lands here.
        if (!TryToHub(newObj, out var updated, out var unreadable)) return AdmissionVerdict.Rejected([unreadable!]);
        var verdict = oldObj is null
            ? GatewayValidator.ValidateCreate(updated, version)
            : GatewayValidator.ValidateUpdate(updated, ToHub(oldObj), version);
        // The server puts the path in front of each cause's message itself.
        return new AdmissionVerdict(
            verdict.Errors.Select(e => new FieldError(e.Path, e.Message, e.Reason)).ToList(),
            verdict.Warnings.Select(w => w.ToString()).ToList());
    }

    private static bool TryToHub(JsonObject obj, out Beta.Gateway hub, out FieldError? error)
    {
        try
        {
            hub = ToHub(obj);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            hub = new Beta.Gateway();
            var field = FieldPaths.FromJsonPath(e.Path);
            error = new FieldError(field, "Invalid value: the value does not fit the field's type", "FieldValueTypeInvalid");
            return false;
        }
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
