using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Raven.ApiServer.Auth;

/// <summary>
/// Who sent a request. A bearer token is checked on every listener: the server's own token is the admin, a
/// ServiceAccount token (TokenRequest) its ServiceAccount, anything else a 401. Without a token, an HTTPS client
/// certificate from the server's CA is the user in its CN with the groups in its O fields, as on a real server; a
/// request on the Unix socket or on plain HTTP is the admin (those listeners are guarded by file permissions and
/// loopback); an HTTPS request with neither is a 401.
/// </summary>
internal sealed class Authenticator(string? adminToken, ServiceAccountTokens tokens, ApiCore core)
{
    public async Task<UserInfo> AuthenticateAsync(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header[7..].Trim();
            if (adminToken is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(adminToken)))
            {
                return UserInfo.Admin;
            }

            return await ServiceAccountAsync(token, ServiceAccountTokens.Issuer).ConfigureAwait(false) ?? throw Unauthorized();
        }

        if (ctx.Request.IsHttps)
        {
            var certificate = ctx.Connection.ClientCertificate;
            if (certificate is not null) return FromCertificate(certificate);
            if (adminToken is not null) throw Unauthorized();
        }

        return UserInfo.Admin;
    }

    /// <summary>The ServiceAccount a token stands for, if the token is valid for the audience and the account still exists as it was.</summary>
    public async Task<UserInfo?> ServiceAccountAsync(string token, string audience)
    {
        if (await tokens.ValidateAsync(token, audience).ConfigureAwait(false) is not { } sa) return null;
        var account = core.Snapshot(BuiltinResources.ServiceAccounts, sa.Namespace)
            .FirstOrDefault(o => ObjectMeta.Text(ObjectMeta.Of(o), "name") == sa.Name);
        if (account is null || (sa.Uid.Length > 0 && ObjectMeta.Text(ObjectMeta.Of(account), "uid") != sa.Uid)) return null;
        return UserInfo.ServiceAccount(sa.Namespace, sa.Name, sa.Uid);
    }

    private static UserInfo FromCertificate(X509Certificate2 certificate)
    {
        var cn = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var groups = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(r => r.GetSingleElementType().Value == "2.5.4.10")
            .Select(r => r.GetSingleElementValue() ?? "")
            .Where(g => g.Length > 0)
            .Append(UserInfo.Authenticated)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new UserInfo(cn, groups);
    }

    private static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");
}
