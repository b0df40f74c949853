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
    /// The rendered overlay with raven-agent-config's <c>vpn-driver</c> set to <paramref name="driver"/>, as an operator
    /// edits that ConfigMap before installing (the overlay ships <c>wireguard</c>).
    /// </summary>
    public static string WithVpnDriver(string rendered, string driver)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        ArgumentException.ThrowIfNullOrEmpty(driver);
        const string shipped = "  vpn-driver: wireguard\n";
        return rendered.Contains(shipped, StringComparison.Ordinal)
            ? rendered.Replace(shipped, $"  vpn-driver: {driver}\n", StringComparison.Ordinal)
            : throw new InvalidOperationException($"{Overlay} renders no raven-agent-config line \"vpn-driver: wireguard\" to set");
    }

    public static async Task ApplyAsync(ICommandRunner runner, string kubeconfig, string manifestFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        await runner.RunCheckedAsync(new CommandLine("kubectl", "--kubeconfig", kubeconfig, "apply", "-f", manifestFile), cancellationToken).ConfigureAwait(false);
    }
}
