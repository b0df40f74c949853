using Microsoft.AspNetCore.Http;

namespace Raven.ApiServer.Auth;

/// <summary>
/// Impersonate-User / Impersonate-Group / Impersonate-Uid headers (what <c>kubectl --as</c> sends): each one needs the
/// requester to be allowed the <c>impersonate</c> verb on users, groups, serviceaccounts or uids named so, as on a
/// real server; the request then runs as the impersonated user.
/// </summary>
internal static class Impersonation
{
    public static UserInfo Apply(HttpContext ctx, UserInfo requester, RbacAuthorizer authorizer)
    {
        var headers = ctx.Request.Headers;
        var user = headers["Impersonate-User"].ToString();
        var groups = headers["Impersonate-Group"].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        var uid = headers["Impersonate-Uid"].ToString();
        if (user.Length == 0)
        {
            if (groups.Count > 0 || uid.Length > 0) throw ApiException.BadRequest("requested impersonation of groups or uid without impersonating a user");
            return requester;
        }

        var sa = UserInfo.ServiceAccountOf(user);
        Check(requester, authorizer, sa is { } account
            ? new RequestAttributes("impersonate", "", "serviceaccounts", "", account.Namespace, account.Name, null)
            : new RequestAttributes("impersonate", "", "users", "", "", user, null));
        foreach (var group in groups) Check(requester, authorizer, new RequestAttributes("impersonate", "", "groups", "", "", group, null));
        if (uid.Length > 0) Check(requester, authorizer, new RequestAttributes("impersonate", "authentication.k8s.io", "uids", "", "", uid, null));

        var all = new List<string>(groups);
        if (sa is { } s && groups.Count == 0) all.AddRange(UserInfo.ServiceAccount(s.Namespace, s.Name).Groups);
        if (!all.Contains(UserInfo.Authenticated, StringComparer.Ordinal)) all.Add(UserInfo.Authenticated);
        return new UserInfo(user, all, uid);
    }

    private static void Check(UserInfo requester, RbacAuthorizer authorizer, RequestAttributes request)
    {
        var decision = authorizer.Authorize(requester, request);
        if (!decision.Allowed) throw RbacAuthorizer.Forbidden(request, decision.Reason);
    }
}
