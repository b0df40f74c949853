using System.Globalization;
using System.Text.Json.Nodes;
using Raven.ApiServer.Auth;

namespace Raven.ApiServer;

/// <summary>The create-only kinds that answer instead of storing: access and subject reviews, TokenRequest.</summary>
internal sealed partial class ApiCore
{
    private const long DefaultTokenSeconds = 3600;
    private const long MinimumTokenSeconds = 600;

    /// <summary>Set once the server has its token issuer and authorizer (reviews need both).</summary>
    public ServiceAccountTokens? Tokens { get; set; }

    public RbacAuthorizer? Authorizer { get; set; }

    public Authenticator? Authenticator { get; set; }

    public async Task<JsonObject> ReviewAsync(ResourceType type, string version, JsonObject body, UserInfo user)
    {
        CheckTypeMeta(type, version, body);
        Validation.TypedDecoding.Decode(type, version, body, FieldValidation.Warn, null);
        var spec = body["spec"] as JsonObject ?? new JsonObject();
        var result = (JsonObject)body.DeepClone();
        result["metadata"] ??= new JsonObject();
        result["metadata"]!["creationTimestamp"] = null;
        if (type == BuiltinResources.SelfSubjectReviews)
        {
            result["status"] = new JsonObject { ["userInfo"] = UserJson(user) };
        }
        else if (type == BuiltinResources.SelfSubjectAccessReviews || type == BuiltinResources.SubjectAccessReviews)
        {
            var subject = user;
            if (type == BuiltinResources.SubjectAccessReviews)
            {
                var groups = (spec["groups"] as JsonArray)?.Select(g => g?.GetValue<string>()).OfType<string>().ToList() ?? [];
                var name = ObjectMeta.Text(spec, "user") ?? "";
                if (name.Length == 0 && groups.Count == 0)
                {
                    throw ApiException.Invalid(type, "", [new FieldError("spec.user", "Invalid value: \"\": at least one of user or group must be specified")]);
                }

                subject = new UserInfo(name, groups, ObjectMeta.Text(spec, "uid") ?? "");
            }

            var attributes = AccessAttributes(type, spec);
            var decision = Authorizer!.Authorize(subject, attributes);
            var status = new JsonObject { ["allowed"] = decision.Allowed };
            if (decision.Allowed && decision.Reason.Length > 0) status["reason"] = decision.Reason;
            result["status"] = status;
        }
        else if (type == BuiltinResources.TokenReviews)
        {
            var audiences = (spec["audiences"] as JsonArray)?.Select(a => a?.GetValue<string>()).OfType<string>().ToList() ?? [];
            var audience = audiences.FirstOrDefault() ?? ServiceAccountTokens.Issuer;
            var token = ObjectMeta.Text(spec, "token") ?? "";
            var reviewed = token.Length == 0 ? null : await Authenticator!.ServiceAccountAsync(token, audience).ConfigureAwait(false);
            result["status"] = reviewed is null
                ? new JsonObject { ["authenticated"] = false, ["error"] = "invalid bearer token" }
                : new JsonObject
                {
                    ["authenticated"] = true,
                    ["user"] = UserJson(reviewed),
                    ["audiences"] = new JsonArray(audience),
                };
        }

        return result;
    }

    private static RequestAttributes AccessAttributes(ResourceType type, JsonObject spec)
    {
        if (spec["resourceAttributes"] is JsonObject r)
        {
            return new RequestAttributes(ObjectMeta.Text(r, "verb") ?? "", ObjectMeta.Text(r, "group") ?? "", ObjectMeta.Text(r, "resource") ?? "",
                ObjectMeta.Text(r, "subresource") ?? "", ObjectMeta.Text(r, "namespace") ?? "", ObjectMeta.Text(r, "name") ?? "", null);
        }

        if (spec["nonResourceAttributes"] is JsonObject n)
        {
            return RequestAttributes.NonResource(ObjectMeta.Text(n, "verb") ?? "", ObjectMeta.Text(n, "path") ?? "");
        }

        throw ApiException.Invalid(type, "", [new FieldError("spec.resourceAttributes", "Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified", "FieldValueRequired")]);
    }

    private static JsonObject UserJson(UserInfo user)
    {
        var info = new JsonObject { ["username"] = user.Name, ["groups"] = new JsonArray(user.Groups.Select(g => (JsonNode)g!).ToArray()) };
        if (user.Uid.Length > 0) info["uid"] = user.Uid;
        return info;
    }

    /// <summary>TokenRequest: a bound token for an existing ServiceAccount (default one hour, at least ten minutes).</summary>
    public JsonObject RequestToken(string ns, string name, JsonObject body)
    {
        var type = BuiltinResources.ServiceAccounts;
        var tokenKind = type with { Kind = "TokenRequest", Group = "authentication.k8s.io" };
        var spec = body["spec"] as JsonObject ?? new JsonObject();
        var seconds = spec["expirationSeconds"] is JsonValue e && long.TryParse(e.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : DefaultTokenSeconds;
        if (seconds < MinimumTokenSeconds)
        {
            throw ApiException.Invalid(tokenKind, name, [new FieldError("spec.expirationSeconds", $"Invalid value: {seconds}: may not specify a duration less than 10 minutes")]);
        }

        var audiences = (spec["audiences"] as JsonArray)?.Select(a => a?.GetValue<string>()).OfType<string>().ToList() ?? [];
        if (audiences.Count == 0) audiences.Add(ServiceAccountTokens.Issuer);
        string uid;
        (string Kind, string Name, string Uid)? bound = null;
        lock (_store.Gate)
        {
            var account = _store.Get(type.TypeKey, ns, name) ?? throw ApiException.NotFound(type, name);
            uid = account.Facts.Uid;
            if (spec["boundObjectRef"] is JsonObject reference)
            {
                var kind = ObjectMeta.Text(reference, "kind") ?? "";
                var boundName = ObjectMeta.Text(reference, "name") ?? "";
                var boundType = kind switch { "Pod" => BuiltinResources.Pods, "Secret" => BuiltinResources.Secrets, "Node" => BuiltinResources.Nodes, _ => null };
                if (boundType is null)
                {
                    throw ApiException.Invalid(tokenKind, name, [new FieldError("spec.boundObjectRef.kind", $"Unsupported value: \"{kind}\": supported values: \"Node\", \"Pod\", \"Secret\"", "FieldValueNotSupported")]);
                }

                var target = _store.Get(boundType.TypeKey, boundType.Namespaced ? ns : null, boundName) ?? throw ApiException.NotFound(boundType, boundName);
                bound = (kind, boundName, target.Facts.Uid);
            }
        }

        var (token, expires) = Tokens!.Issue(ns, name, uid, audiences, TimeSpan.FromSeconds(seconds), bound);
        var result = new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = ObjectMeta.Now(_clock) },
            ["spec"] = new JsonObject
            {
                ["audiences"] = new JsonArray(audiences.Select(a => (JsonNode)a!).ToArray()),
                ["expirationSeconds"] = seconds,
                ["boundObjectRef"] = spec["boundObjectRef"]?.DeepClone(),
            },
            ["status"] = new JsonObject
            {
                ["token"] = token,
                ["expirationTimestamp"] = expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            },
        };
        return result;
    }
}
