using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Raven.Kube.Client.Config;

/// <summary>Turns one context of a parsed kubeconfig into a <see cref="KubeClientConfig"/>, validating as it goes.</summary>
public static class KubeConfigBuilder
{
    public static KubeClientConfig Build(KubeConfigFile file, string? contextName = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        var name = string.IsNullOrEmpty(contextName) ? file.CurrentContext : contextName;
        if (string.IsNullOrEmpty(name))
        {
            throw new KubeConfigException("current-context: not set and no context was named");
        }

        var context = file.Contexts?.FirstOrDefault(c => c.Name == name)?.Context
            ?? throw new KubeConfigException($"contexts: no context named '{name}'");
        if (string.IsNullOrEmpty(context.Cluster))
        {
            throw new KubeConfigException($"contexts[{name}].context.cluster: not set");
        }

        var cluster = file.Clusters?.FirstOrDefault(c => c.Name == context.Cluster)?.Cluster
            ?? throw new KubeConfigException($"clusters: no cluster named '{context.Cluster}' (used by context '{name}')");
        var user = string.IsNullOrEmpty(context.User)
            ? new UserEntry()
            : file.Users?.FirstOrDefault(u => u.Name == context.User)?.User
              ?? throw new KubeConfigException($"users: no user named '{context.User}' (used by context '{name}')");

        var clusterField = $"clusters[{context.Cluster}].cluster";
        var userField = $"users[{context.User}].user";
        return new KubeClientConfig
        {
            Server = ParseServer(cluster.Server, clusterField + ".server"),
            Namespace = string.IsNullOrEmpty(context.Namespace) ? null : context.Namespace,
            CaCertificates = LoadCa(cluster, clusterField),
            InsecureSkipTlsVerify = cluster.InsecureSkipTlsVerify,
            TlsServerName = string.IsNullOrEmpty(cluster.TlsServerName) ? null : cluster.TlsServerName,
            ClientCertificate = LoadClientCertificate(user, userField),
            Token = LoadToken(user, userField, time),
            Username = string.IsNullOrEmpty(user.Username) ? null : user.Username,
            Password = string.IsNullOrEmpty(user.Password) ? null : user.Password,
        };
    }

    public static Uri ParseServer(string? server, string field)
    {
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new KubeConfigException($"{field}: not set");
        }

        if (!Uri.TryCreate(server.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http" or "unix"))
        {
            throw new KubeConfigException($"{field}: '{server}' is not an https://, http:// or unix:// URL");
        }

        if (uri.Scheme == "unix" && uri.AbsolutePath.Length <= 1)
        {
            throw new KubeConfigException($"{field}: '{server}' names no socket path (expected unix:///path/to/socket)");
        }

        return uri;
    }

    /// <summary>Parses PEM certificates; an input with none is an error naming the field.</summary>
    public static X509Certificate2Collection ParseCertificates(string pem, string field)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new KubeConfigException($"{field}: not valid PEM certificates: {e.Message}", e);
        }

        return certificates.Count > 0 ? certificates : throw new KubeConfigException($"{field}: contains no PEM certificate");
    }

    private static X509Certificate2Collection LoadCa(ClusterEntry cluster, string field)
    {
        if (!string.IsNullOrEmpty(cluster.CertificateAuthorityData))
        {
            return ParseCertificates(DecodeData(cluster.CertificateAuthorityData, field + ".certificate-authority-data"), field + ".certificate-authority-data");
        }

        if (!string.IsNullOrEmpty(cluster.CertificateAuthority))
        {
            return ParseCertificates(ReadFile(cluster.CertificateAuthority, field + ".certificate-authority"), field + ".certificate-authority");
        }

        return [];
    }

    private static X509Certificate2? LoadClientCertificate(UserEntry user, string field)
    {
        if (user.Exec is not null)
        {
            throw new KubeConfigException($"{field}.exec: exec credential plugins are not supported; use a token, tokenFile or client certificate");
        }

        if (user.AuthProvider is not null)
        {
            throw new KubeConfigException($"{field}.auth-provider: auth provider plugins are not supported; use a token, tokenFile or client certificate");
        }

        var certificate = Pem(user.ClientCertificateData, user.ClientCertificate, field + ".client-certificate");
        var key = Pem(user.ClientKeyData, user.ClientKey, field + ".client-key");
        if (certificate is null && key is null)
        {
            return null;
        }

        if (certificate is null || key is null)
        {
            var missing = certificate is null ? "client-certificate(-data)" : "client-key(-data)";
            throw new KubeConfigException($"{field}.{missing}: not set, but the other half of the client key pair is");
        }

        try
        {
            return X509Certificate2.CreateFromPem(certificate, key);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new KubeConfigException($"{field}.client-certificate/client-key: not a matching PEM certificate and key: {e.Message}", e);
        }
    }

    private static ITokenSource? LoadToken(UserEntry user, string field, TimeProvider? time)
    {
        if (!string.IsNullOrEmpty(user.Token))
        {
            return new StaticTokenSource(user.Token.Trim());
        }

        if (!string.IsNullOrEmpty(user.TokenFile))
        {
            if (!File.Exists(user.TokenFile))
            {
                throw new KubeConfigException($"{field}.tokenFile: '{user.TokenFile}' does not exist");
            }

            return new FileTokenSource(user.TokenFile, time);
        }

        return null;
    }

    private static string? Pem(string? data, string? path, string field) =>
        !string.IsNullOrEmpty(data) ? DecodeData(data, field + "-data")
        : !string.IsNullOrEmpty(path) ? ReadFile(path, field)
        : null;

    private static string DecodeData(string base64, string field)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim()));
        }
        catch (FormatException e)
        {
            throw new KubeConfigException($"{field}: not valid base64", e);
        }
    }

    private static string ReadFile(string path, string field)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"{field}: '{path}' cannot be read: {e.Message}", e);
        }
    }
}
