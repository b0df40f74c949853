using System.Text.Json.Nodes;

namespace Raven.ApiServer.Auth;

/// <summary>A verdict with the reason RBAC gives: the binding that allowed it, or why nothing did.</summary>
internal sealed record Decision(bool Allowed, string Reason);

/// <summary>
/// Kubernetes RBAC over the stored Roles, ClusterRoles and their bindings: apiGroups, resources (with
/// <c>resource/subresource</c> and <c>*/subresource</c>), verbs, resourceNames and nonResourceURLs, <c>*</c> wildcards;
/// no aggregation. system:masters is allowed everything, and every authenticated user may read discovery and ask
/// who it is and what it may do, as kube-apiserver's bootstrap roles allow.
/// </summary>
internal sealed class RbacAuthorizer(ApiCore core)
{
    private static readonly string[] PublicPaths = ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/readyz", "/version", "/version/", "/openapi", "/openapi/*"];
    private static readonly string[] SelfReviews = ["selfsubjectaccessreviews", "selfsubjectrulesreviews", "selfsubjectreviews"];

    public Decision Authorize(UserInfo user, RequestAttributes request)
    {
        if (user.IsSuperuser) return new Decision(true, "");
        if (user.Groups.Contains(UserInfo.Authenticated, StringComparer.Ordinal) && Bootstrap(request))
        {
            return new Decision(true, "RBAC: allowed by ClusterRoleBinding \"system:basic-user\" of ClusterRole \"system:basic-user\" to Group \"system:authenticated\"");
        }

        foreach (var binding in core.Snapshot(BuiltinResources.ClusterRoleBindings, null))
        {
            if (Subject(binding, user, null) is not { } who) continue;
            if (Text(binding["roleRef"], "kind") != "ClusterRole") continue;
            var roleName = Text(binding["roleRef"], "name") ?? "";
            var role = core.Snapshot(BuiltinResources.ClusterRoles, null).FirstOrDefault(r => Text(r["metadata"], "name") == roleName);
            if (role is not null && Rules(role).Any(r => Allows(r, request, clusterWide: true)))
            {
                return new Decision(true, $"RBAC: allowed by ClusterRoleBinding \"{Text(binding["metadata"], "name")}\" of ClusterRole \"{roleName}\" to {who}");
            }
        }

        if (request.Namespace.Length > 0)
        {
            foreach (var binding in core.Snapshot(BuiltinResources.RoleBindings, request.Namespace))
            {
                if (Subject(binding, user, request.Namespace) is not { } who) continue;
                var kind = Text(binding["roleRef"], "kind");
                var roleName = Text(binding["roleRef"], "name") ?? "";
                var role = kind switch
                {
                    "Role" => core.Snapshot(BuiltinResources.Roles, request.Namespace).FirstOrDefault(r => Text(r["metadata"], "name") == roleName),
                    "ClusterRole" => core.Snapshot(BuiltinResources.ClusterRoles, null).FirstOrDefault(r => Text(r["metadata"], "name") == roleName),
                    _ => null,
                };
                if (role is not null && Rules(role).Any(r => Allows(r, request, clusterWide: false)))
                {
                    return new Decision(true, $"RBAC: allowed by RoleBinding \"{Text(binding["metadata"], "name")}/{request.Namespace}\" of {kind} \"{roleName}\" to {who}");
                }
            }
        }

        return new Decision(false, Denial(user, request));
    }

    /// <summary>The reason text of kube-apiserver's 403: <c>User "u" cannot list resource "nodes" in API group "" at the cluster scope</c>.</summary>
    public static string Denial(UserInfo user, RequestAttributes request)
    {
        if (!request.IsResource) return $"User \"{user.Name}\" cannot {request.Verb} path \"{request.Path}\"";
        var scope = request.Namespace.Length == 0 ? "at the cluster scope" : $"in the namespace \"{request.Namespace}\"";
        return $"User \"{user.Name}\" cannot {request.Verb} resource \"{request.ResourceWithSubresource}\" in API group \"{request.Group}\" {scope}";
    }

    /// <summary>403 Forbidden worded as kube-apiserver words it.</summary>
    public static ApiException Forbidden(RequestAttributes request, string reason)
    {
        if (!request.IsResource) return new ApiException(403, "Forbidden", $"forbidden: {reason}");
        var qualified = request.Group.Length == 0 ? request.Resource : request.Resource + "." + request.Group;
        var subject = request.Name.Length == 0 ? qualified : $"{qualified} \"{request.Name}\"";
        return new ApiException(403, "Forbidden", $"{subject} is forbidden: {reason}",
            name: request.Name.Length == 0 ? null : request.Name, group: request.Group, kind: request.Resource);
    }

    private static bool Bootstrap(RequestAttributes request) => request.IsResource
        ? request.Verb == "create" && request.Group is "authorization.k8s.io" or "authentication.k8s.io" && SelfReviews.Contains(request.Resource)
        : request.Verb is "get" or "head" && PublicPaths.Any(p => PathMatches(p, request.Path!));

    /// <summary>How the matching subject is named in reasons, or null when the binding does not name this user.</summary>
    private static string? Subject(JsonObject binding, UserInfo user, string? bindingNamespace)
    {
        foreach (var subject in (binding["subjects"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var name = Text(subject, "name") ?? "";
            switch (Text(subject, "kind"))
            {
                case "User" when name == user.Name:
                    return $"User \"{name}\"";
                case "Group" when user.Groups.Contains(name, StringComparer.Ordinal):
                    return $"Group \"{name}\"";
                case "ServiceAccount":
                    var ns = Text(subject, "namespace") is { Length: > 0 } given ? given : bindingNamespace ?? "";
                    if (user.Name == $"{UserInfo.ServiceAccountPrefix}{ns}:{name}") return $"ServiceAccount \"{name}/{ns}\"";
                    break;
            }
        }

        return null;
    }

    private static IEnumerable<JsonObject> Rules(JsonObject role) => (role["rules"] as JsonArray)?.OfType<JsonObject>() ?? [];

    private static bool Allows(JsonObject rule, RequestAttributes request, bool clusterWide)
    {
        if (!Contains(rule, "verbs", request.Verb)) return false;
        if (!request.IsResource)
        {
            return clusterWide && Strings(rule, "nonResourceURLs").Any(p => PathMatches(p, request.Path!));
        }

        if (!Contains(rule, "apiGroups", request.Group)) return false;
        var resources = Strings(rule, "resources").ToList();
        var combined = request.ResourceWithSubresource;
        var resourceOk = resources.Any(r => r == "*" || r == combined || (request.Subresource.Length > 0 && r == "*/" + request.Subresource));
        if (!resourceOk) return false;
        var names = Strings(rule, "resourceNames").ToList();
        return names.Count == 0 || names.Contains(request.Name, StringComparer.Ordinal);
    }

    private static bool PathMatches(string rule, string path) =>
        rule == "*" || rule == path || (rule.EndsWith('*') && path.StartsWith(rule[..^1], StringComparison.Ordinal));

    private static bool Contains(JsonObject rule, string field, string value) =>
        Strings(rule, field).Any(v => v == "*" || v == value);

    private static IEnumerable<string> Strings(JsonObject obj, string field) =>
        (obj[field] as JsonArray)?.Select(v => v is JsonValue s && s.TryGetValue<string>(out var t) ? t : null).OfType<string>() ?? [];

    private static string? Text(JsonNode? node, string field) =>
        node is JsonObject o && o[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
