namespace Raven.Kube.Client.Config;

/// <summary>
/// Finds the configuration the way Raven's commands document it: an explicit --kubeconfig path, then $KUBECONFIG
/// (colon-separated, merged), then the in-cluster service account, then ~/.kube/config.
/// </summary>
public sealed class KubeConfigResolver
{
    public const string KubeConfigVariable = "KUBECONFIG";

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public string ServiceAccountDirectory { get; init; } = InClusterConfig.DefaultServiceAccountDirectory;

    public string HomeDirectory { get; init; } = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Resolves with the process environment.</summary>
    public static KubeClientConfig ResolveDefault(string? kubeconfigPath = null, string? context = null) =>
        new KubeConfigResolver().Resolve(kubeconfigPath, context);

    public KubeClientConfig Resolve(string? kubeconfigPath = null, string? context = null)
    {
        if (!string.IsNullOrEmpty(kubeconfigPath))
        {
            return KubeConfigBuilder.Build(KubeConfigParser.Load(kubeconfigPath), context, Time);
        }

        var fromEnvironment = Environment(KubeConfigVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            var paths = fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var existing = paths.Where(File.Exists).ToList();
            if (existing.Count == 0)
            {
                throw new KubeConfigException($"{KubeConfigVariable}: none of '{fromEnvironment}' exists");
            }

            return KubeConfigBuilder.Build(KubeConfigParser.Merge(existing.Select(KubeConfigParser.Load)), context, Time);
        }

        if (InClusterConfig.IsAvailable(Environment))
        {
            return InClusterConfig.Load(Environment, ServiceAccountDirectory, Time);
        }

        var home = Path.Combine(HomeDirectory, ".kube", "config");
        if (File.Exists(home))
        {
            return KubeConfigBuilder.Build(KubeConfigParser.Load(home), context, Time);
        }

        throw new KubeConfigException(
            $"no Kubernetes configuration: pass --kubeconfig, set {KubeConfigVariable}, run in a pod, or create {home}");
    }
}
