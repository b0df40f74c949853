using System.Text.Json.Nodes;
using Raven.Api;
using Raven.Api.Defaulting;
using Raven.Api.Validation;

namespace Raven.Controller.Webhooks;

/// <summary>
/// The mutating and validating Gateway webhooks as pure functions: AdmissionReview JSON in, reply out.
/// They run the same Raven.Api defaulting and validation as the embedded API server and `raven gateway validate`.
/// </summary>
public static class GatewayAdmission
{
    public const string MutatePath = "/mutate-raven-openyurt-io-v1beta1-gateway";
    public const string ValidatePath = "/validate-raven-openyurt-io-v1beta1-gateway";

    public static WebhookReply Mutate(string body) => Handle(body, MutateRequest);

    public static WebhookReply Validate(string body) => Handle(body, ValidateRequest);

    private static WebhookReply Handle(string body, Func<AdmissionRequest, JsonObject> decide)
    {
        AdmissionRequest request;
        try
        {
            request = AdmissionRequest.Parse(body);
        }
        catch (WebhookInputException ex)
        {
            return WebhookReply.BadRequest(ex.Message);
        }

        try
        {
            return WebhookReply.Ok(decide(request));
        }
        catch (WebhookInputException ex)
        {
            // The review itself was fine; the object was not. Kubernetes shows this message to the user.
            return WebhookReply.Ok(AdmissionResponses.BadObject(request.Uid, ex.Message));
        }
    }

    private static JsonObject MutateRequest(AdmissionRequest request)
    {
        if (!IsWrite(request.Operation))
        {
            return AdmissionResponses.Allowed(request.Uid);
        }

        var original = request.Object as JsonObject ?? throw new WebhookInputException("request.object: Required value");
        var apiVersion = AdmissionRequest.Text(original, "apiVersion");
        var hub = GatewayForms.ToHub(original);
        if (!GatewayDefaults.Apply(hub))
        {
            return AdmissionResponses.Allowed(request.Uid);
        }

        var defaulted = GatewayForms.ToJson(hub, apiVersion);
        return AdmissionResponses.Allowed(request.Uid, JsonPatchDiff.Diff(original, WithDefaultedParts(original, defaulted)));
    }

    /// <summary>
    /// The request object with only spec and annotations taken from the defaulted form, so the patch never
    /// touches server-owned metadata (timestamps, managedFields) or status through re-serialization.
    /// </summary>
    private static JsonObject WithDefaultedParts(JsonObject original, JsonObject defaulted)
    {
        var target = (JsonObject)original.DeepClone();
        if (defaulted["spec"] is { } spec)
        {
            target["spec"] = spec.DeepClone();
        }

        var metadata = target["metadata"] as JsonObject ?? [];
        target["metadata"] = metadata;
        if (defaulted["metadata"]?["annotations"] is { } annotations)
        {
            metadata["annotations"] = annotations.DeepClone();
        }
        else
        {
            metadata.Remove("annotations");
        }

        return target;
    }

    private static JsonObject ValidateRequest(AdmissionRequest request)
    {
        if (!IsWrite(request.Operation))
        {
            return AdmissionResponses.Allowed(request.Uid);
        }

        var sourceVersion = SourceVersion(request);
        var updated = GatewayForms.ToHub(request.Object);
        var verdict = request.Operation == "UPDATE" && request.OldObject is not null
            ? GatewayValidator.ValidateUpdate(updated, GatewayForms.ToHub(request.OldObject), sourceVersion)
            : GatewayValidator.ValidateCreate(updated, sourceVersion);
        var warnings = verdict.Warnings.Select(w => w.ToString()).ToList();
        return verdict.IsValid
            ? AdmissionResponses.Allowed(request.Uid, warnings: warnings)
            : AdmissionResponses.Invalid(request.Uid, updated.Name, verdict.Errors, warnings);
    }

    /// <summary>
    /// The version the user wrote. With matchPolicy Equivalent a v1alpha1 request arrives converted to
    /// v1beta1, and requestKind still says v1alpha1: rules for fields v1alpha1 cannot express must not fire.
    /// </summary>
    private static string SourceVersion(AdmissionRequest request) =>
        request.RequestGroup == WellKnown.Group && request.RequestVersion is WellKnown.V1Alpha1 or WellKnown.V1Beta1
            ? request.RequestVersion
            : GatewayForms.VersionOf(request.Object);

    private static bool IsWrite(string operation) => operation is "CREATE" or "UPDATE";
}
