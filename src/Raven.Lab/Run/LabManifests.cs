using Raven.Agent.Linux.Processes;

namespace Raven.Lab.Run;

/// <summary>
/// The install as an operator does it: `kubectl kustomize deploy/overlays/lab`, then `kubectl apply` of the result
/// against the lab's API server. The deploy/ tree is copied next to the lab's assemblies at build time, so an
/// installed `raven` finds it; a checkout's own deploy/ (found upwards from the working directory) wins.
/// </summary>
public static class LabManifests
{
    public const string Overlay = "deploy/overlays/lab";

    public static string OverlayDirectory()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, Overlay)) && Directory.Exists(Path.Combine(dir.FullName, "src", "Raven.Lab")))
            {
                return Path.Combine(dir.FullName, Overlay);
            }
        }

        var shipped = Path.Combine(AppContext.BaseDirectory, Overlay);
        return Directory.Exists(shipped) ? shipped : throw new InvalidOperationException($"{Overlay} not found in the working directory's checkout nor at {shipped}");
    }

    public static async Task<string> RenderAsync(ICommandRunner runner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var result = await runner.RunCheckedAsync(new CommandLine("kubectl", "kustomize", OverlayDirectory()), cancellationToken).ConfigureAwait(false);
        return result.StandardOutput;
    }

    /// <summary>
    /// The lab overlay with raven-agent-config's <c>vpn-driver</c> set to <paramref name="driver"/>, the way an operator
    /// changes a shipped overlay: an overlay of their own (a temporary kustomization over deploy/overlays/lab) with a
    /// JSON patch whose <c>replace</c> fails loudly if the shipped ConfigMap ever stops having that key.
    /// </summary>
    public static async Task<string> RenderAsync(ICommandRunner runner, string driver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentException.ThrowIfNullOrEmpty(driver);
        var own = Directory.CreateTempSubdirectory("raven-lab-overlay-");
        try
        {
            // JSON string quoting is valid YAML, so no driver name can break the patch.
            await File.WriteAllTextAsync(Path.Join(own.FullName, "kustomization.yaml"), $$"""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                - {{System.Text.Json.JsonSerializer.Serialize(Path.GetRelativePath(own.FullName, OverlayDirectory()))}}
                patches:
                - target:
                    kind: ConfigMap
                    name: raven-agent-config
                  patch: |-
                    - op: replace
                      path: /data/vpn-driver
                      value: {{System.Text.Json.JsonSerializer.Serialize(driver)}}

                """, cancellationToken).ConfigureAwait(false);
            var result = await runner.RunCheckedAsync(new CommandLine("kubectl", "kustomize", own.FullName), cancellationToken).ConfigureAwait(false);
            return result.StandardOutput;
        }
        finally
        {
            own.Delete(recursive: true);
        }
    }

    public static async Task ApplyAsync(ICommandRunner runner, string kubeconfig, string manifestFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        await runner.RunCheckedAsync(new CommandLine("kubectl", "--kubeconfig", kubeconfig, "apply", "-f", manifestFile), cancellationToken).ConfigureAwait(false);
    }
}
