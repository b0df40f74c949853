using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Raven.ApiServer.Auth;

/// <summary>
/// Bound ServiceAccount tokens (TokenRequest): ES256 JWTs with kube-apiserver's claims, signed with a key the server
/// keeps in its data directory (pki/sa.key) so tokens survive a restart.
/// </summary>
internal sealed class ServiceAccountTokens
{
    public const string Issuer = "https://kubernetes.default.svc.cluster.local";

    private readonly ECDsaSecurityKey _key;
    private readonly TimeProvider _clock;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    private ServiceAccountTokens(ECDsa key, TimeProvider clock)
    {
        _key = new ECDsaSecurityKey(key) { KeyId = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16] };
        _clock = clock;
    }

    public static ServiceAccountTokens LoadOrCreate(string? pkiDir, TimeProvider clock)
    {
        var path = pkiDir is null ? null : Path.Combine(pkiDir, "sa.key");
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (path is not null && File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
        }
        else if (path is not null)
        {
            Directory.CreateDirectory(pkiDir!);
            File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new ServiceAccountTokens(key, clock);
    }

    public (string Token, DateTimeOffset Expires) Issue(string ns, string name, string uid, IReadOnlyList<string> audiences, TimeSpan lifetime,
        (string Kind, string Name, string Uid)? boundObject)
    {
        var now = _clock.GetUtcNow();
        var expires = now + lifetime;
        var kubernetes = new Dictionary<string, object>
        {
            ["namespace"] = ns,
            ["serviceaccount"] = new Dictionary<string, object> { ["name"] = name, ["uid"] = uid },
        };
        if (boundObject is { } bound)
        {
            kubernetes[bound.Kind.ToLowerInvariant()] = new Dictionary<string, object> { ["name"] = bound.Name, ["uid"] = bound.Uid };
        }

        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.EcdsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = $"{UserInfo.ServiceAccountPrefix}{ns}:{name}",
                ["aud"] = audiences.ToArray(),
                ["kubernetes.io"] = kubernetes,
            },
        });
        return (token, expires);
    }

    /// <summary>The token's ServiceAccount (namespace, name, uid) when it is ours, unexpired and meant for <paramref name="audience"/>.</summary>
    public async Task<(string Namespace, string Name, string Uid)?> ValidateAsync(string token, string audience)
    {
        if (!_handler.CanReadToken(token)) return null;
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = audience,
            IssuerSigningKey = _key,
            ClockSkew = TimeSpan.FromSeconds(5),
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = _clock.GetUtcNow().UtcDateTime;
                return (notBefore is null || notBefore <= now.AddSeconds(5)) && expires is { } e && e > now;
            },
        }).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt) return null;
        if (!jwt.TryGetPayloadValue<JsonElement>("kubernetes.io", out var k8s)) return null;
        var ns = k8s.TryGetProperty("namespace", out var n) ? n.GetString() : null;
        var sa = k8s.TryGetProperty("serviceaccount", out var s) ? s : default;
        var name = sa.ValueKind == JsonValueKind.Object && sa.TryGetProperty("name", out var nm) ? nm.GetString() : null;
        var uid = sa.ValueKind == JsonValueKind.Object && sa.TryGetProperty("uid", out var u) ? u.GetString() : null;
        return ns is null || name is null ? null : (ns, name, uid ?? "");
    }
}
