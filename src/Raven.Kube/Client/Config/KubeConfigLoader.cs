using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace Raven.Kube.Client.Config;

/// <summary>
/// Finds the configuration the way Raven's commands document it: an explicit --kubeconfig path, then $KUBECONFIG
/// (colon-separated, merged: the first file to name an entry wins), then the in-cluster service account, then
/// ~/.kube/config. Parsing, credentials (tokens, client certificates, exec plugins) and in-cluster token rotation are
/// the official client's; what is added here: the resolution order, kubeconfigs whose user has no credentials
/// (anonymous, e.g. a Unix socket guarded by file permissions), unix:// servers, and errors that name the file.
/// </summary>
public sealed class KubeConfigLoader
{
    public const string KubeConfigVariable = "KUBECONFIG";
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public string HomeDirectory { get; init; } = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);

    /// <summary>Resolves with the process environment.</summary>
    public static KubeEndpoint LoadDefault(string? kubeconfigPath = null, string? context = null) =>
        new KubeConfigLoader().Load(kubeconfigPath, context);

    public KubeEndpoint Load(string? kubeconfigPath = null, string? context = null)
    {
        if (!string.IsNullOrEmpty(kubeconfigPath))
        {
            return FromFiles([kubeconfigPath], context, kubeconfigPath);
        }

        var fromEnvironment = Environment(KubeConfigVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            var existing = fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(File.Exists).ToList();
            if (existing.Count == 0)
            {
                throw new KubeConfigException($"{KubeConfigVariable}: none of '{fromEnvironment}' exists");
            }

            return FromFiles(existing, context, $"{KubeConfigVariable} ({string.Join(Path.PathSeparator, existing)})");
        }

        var inClusterVariables = !string.IsNullOrEmpty(Environment("KUBERNETES_SERVICE_HOST")) && !string.IsNullOrEmpty(Environment("KUBERNETES_SERVICE_PORT"));
        if (inClusterVariables && KubernetesClientConfiguration.IsInCluster())
        {
            return KubeEndpoint.From(KubernetesClientConfiguration.InClusterConfig(), "in-cluster service account");
        }

        var home = Path.Combine(HomeDirectory, ".kube", "config");
        if (File.Exists(home))
        {
            return FromFiles([home], context, home);
        }

        var hint = inClusterVariables
            ? $" (KUBERNETES_SERVICE_HOST is set, but {ServiceAccountDirectory} has no token and ca.crt)"
            : "";
        throw new KubeConfigException(
            $"no Kubernetes configuration{hint}: pass --kubeconfig, set {KubeConfigVariable}, run in a pod, or create {home}");
    }

    private static KubeEndpoint FromFiles(IReadOnlyList<string> paths, string? context, string source)
    {
        K8SConfiguration? merged = null;
        try
        {
            merged = paths.Select(p => File.Exists(p)
                    ? KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(p))
                    : throw new KubeConfigException($"'{p}' does not exist"))
                .Aggregate(Merge);
            AllowAnonymousUser(merged, context);
            return KubeEndpoint.From(KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, context), source);
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or FormatException
                                      or YamlDotNet.Core.YamlException or System.Security.Cryptography.CryptographicException)
        {
            throw new KubeConfigException($"kubeconfig {source}: {Describe(e, merged is null ? null : ChosenUser(merged, context))}", e);
        }
    }

    /// <summary>
    /// One line: the library's exec-plugin failures carry a whole exception dump (stack included) in their message;
    /// they become what an operator can act on, naming the plugin.
    /// </summary>
    private static string Describe(Exception e, UserCredentials? user)
    {
        var message = e.Message.ReplaceLineEndings("\n").Split('\n')[0].Trim();
        if (user?.ExternalExecution is not { } exec || !message.StartsWith("external exec failed", StringComparison.Ordinal))
        {
            return message;
        }

        var why = message.Contains("failed deserialization", StringComparison.Ordinal)
            ? "its output is not an ExecCredential (nothing, or not JSON); is it installed and logged in?"
            : message["external exec failed".Length..].TrimStart(' ', ':');
        return $"users[].user.exec: the credential plugin '{exec.Command}' gave no credential: {why}";
    }

    private static UserCredentials? ChosenUser(K8SConfiguration config, string? context)
    {
        var name = context ?? config.CurrentContext;
        var user = config.Contexts?.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))?.ContextDetails?.User;
        return config.Users?.FirstOrDefault(u => string.Equals(u.Name, user, StringComparison.OrdinalIgnoreCase))?.UserCredentials;
    }

    /// <summary>
    /// kubectl accepts a context whose user has no credentials (requests go without any); the official client rejects
    /// it. Such a user is dropped from the chosen context so the client connects anonymously.
    /// </summary>
    private static void AllowAnonymousUser(K8SConfiguration config, string? context)
    {
        var name = context ?? config.CurrentContext;
        var chosen = config.Contexts?.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))?.ContextDetails;
        if (chosen is null || string.IsNullOrEmpty(chosen.User))
        {
            return;
        }

        var user = config.Users?.FirstOrDefault(u => string.Equals(u.Name, chosen.User, StringComparison.OrdinalIgnoreCase));
        if (user is not null && HasNoCredentials(user.UserCredentials))
        {
            chosen.User = null;
        }
    }

    private static bool HasNoCredentials(UserCredentials? c) =>
        c is null || (string.IsNullOrEmpty(c.Token) && string.IsNullOrEmpty(c.UserName) && string.IsNullOrEmpty(c.ClientCertificateData)
                      && string.IsNullOrEmpty(c.ClientCertificate) && c.AuthProvider is null && c.ExternalExecution is null);

    /// <summary>client-go's rule for several kubeconfig files: the first to set current-context or name an entry wins.</summary>
    private static K8SConfiguration Merge(K8SConfiguration first, K8SConfiguration next)
    {
        first.CurrentContext ??= next.CurrentContext;
        first.Clusters = Union(first.Clusters, next.Clusters, c => c.Name);
        first.Contexts = Union(first.Contexts, next.Contexts, c => c.Name);
        first.Users = Union(first.Users, next.Users, u => u.Name);
        return first;
    }

    private static List<T> Union<T>(IEnumerable<T>? first, IEnumerable<T>? next, Func<T, string> name) =>
        [.. (first ?? []).Concat(next ?? []).DistinctBy(name, StringComparer.Ordinal)];
}
