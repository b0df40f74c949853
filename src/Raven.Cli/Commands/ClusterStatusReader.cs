using System.CommandLine;
using System.Net.Http;
using k8s.Autorest;
using Raven.Cli.Status;
using Raven.Kube.Client;

namespace Raven.Cli.Commands;

/// <summary>
/// Shared by `raven status`, `raven graph` and `raven diagnose`: one read of the cluster with the usual kubeconfig resolution
/// (--kubeconfig, $KUBECONFIG, in-cluster, ~/.kube/config; exec plugins included), turned into the report. A cluster
/// that cannot be read is one line on stderr, never a stack trace.
/// </summary>
internal static class ClusterStatusReader
{
    /// <summary>A one-shot command should not hang on a server that does not answer; retrying is the operator's call.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    public static Option<string?> KubeconfigOption() =>
        new("--kubeconfig") { Description = "Path to a kubeconfig; default KUBECONFIG, in-cluster, then ~/.kube/config." };

    public static Option<string?> ContextOption() =>
        new("--context") { Description = "The kubeconfig context to use; default its current-context." };

    public static async Task<StatusReport?> ReadAsync(string command, string? kubeconfig, string? context, TextWriter errors, CancellationToken cancellationToken)
    {
        var snapshot = await ReadAsync(command, kubeconfig, context, errors, ClusterSnapshotLoader.LoadAsync, cancellationToken).ConfigureAwait(false);
        return snapshot is null ? null : StatusBuilder.Build(snapshot);
    }

    /// <summary>Runs <paramref name="load"/> against the cluster; null (and the one line on stderr) when it cannot be read.</summary>
    public static async Task<T?> ReadAsync<T>(string command, string? kubeconfig, string? context, TextWriter errors,
        Func<KubeClient, CancellationToken, Task<T>> load, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(load);
        try
        {
            using var client = KubeClient.Create(kubeconfig, context, new KubeClientOptions { RequestTimeout = RequestTimeout });
            return await load(client, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException
                                       or HttpRequestException or HttpOperationException or k8s.KubernetesException or TimeoutException
                                       or System.Text.Json.JsonException)
        {
            await errors.WriteLineAsync($"raven {command}: cannot read the cluster: {KubeErrors.Describe(ex)}").ConfigureAwait(false);
            return null;
        }
    }
}
