using Raven.Agent.Linux.Netfilter;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;

namespace Raven.Agent.Engine;

/// <summary>
/// Removes everything Raven created on a node and nothing else: the tunnel backend's daemon and device, raven0, the routes
/// of tables 9027/9028 and the rules pointing at them, Raven's own chains, jumps and ipsets. No table is flushed
/// globally and sysctls (ip_forward) are left as they are, since other software may rely on them.
/// </summary>
public static class AgentCleanup
{
    public static Task<IReadOnlyList<string>> RunAsync(NodeKernel kernel, ITunnelBackend tunnel, CancellationToken cancellationToken) =>
        RunAsync(kernel, [tunnel ?? throw new ArgumentNullException(nameof(tunnel))], cancellationToken);

    /// <param name="tunnels">Every backend that may have left state (the node may have switched drivers).</param>
    public static async Task<IReadOnlyList<string>> RunAsync(NodeKernel kernel, IReadOnlyList<ITunnelBackend> tunnels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(tunnels);
        var errors = new List<string>();
        foreach (var tunnel in tunnels)
        {
            await Try(errors, tunnel.Profile.Name, () => tunnel.CleanupAsync(cancellationToken)).ConfigureAwait(false);
        }

        await Try(errors, "routing", () =>
        {
            new PolicyRoutingDriver(kernel.Reconciler).Apply([], []);
            return Task.CompletedTask;
        }).ConfigureAwait(false);
        await Try(errors, "vxlan", () =>
        {
            kernel.Reconciler.EnsureLinkAbsent(KernelNames.VxlanDevice);
            return Task.CompletedTask;
        }).ConfigureAwait(false);
        await Try(errors, "netfilter", () => kernel.Netfilter.ApplyAsync(RavenNetfilter.Cleanup(), cancellationToken)).ConfigureAwait(false);
        return errors;
    }

    private static async Task Try(List<string> errors, string what, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            errors.Add($"{what}: {ex.Message}");
        }
    }
}
