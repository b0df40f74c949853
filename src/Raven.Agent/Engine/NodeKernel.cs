using Raven.Agent.Linux;
using Raven.Agent.Linux.Netfilter;
using Raven.Agent.Linux.Processes;

namespace Raven.Agent.Engine;

/// <summary>
/// The kernel of one node: rtnetlink, netfilter and sysctls, all bound to one network namespace (null: the agent's
/// own). Several engines in one process (tests, lab) each get their own.
/// </summary>
public sealed class NodeKernel : IDisposable
{
    private bool? _hashNetNet;

    private NodeKernel(string? networkNamespace, RtNetlink netlink, NetfilterApplier netfilter)
    {
        NetworkNamespace = networkNamespace;
        Netlink = netlink;
        Reconciler = new NetlinkReconciler(netlink);
        Netfilter = netfilter;
    }

    public string? NetworkNamespace { get; }

    public RtNetlink Netlink { get; }

    public NetlinkReconciler Reconciler { get; }

    public NetfilterApplier Netfilter { get; }

    public Sysctl Sysctl { get; } = new();

    public static async Task<NodeKernel> OpenAsync(string? networkNamespace, CancellationToken cancellationToken)
    {
        var runner = new ProcessCommandRunner(networkNamespace);
        var tool = await IptablesTool.DetectAsync(runner, cancellationToken).ConfigureAwait(false);
        var netlink = networkNamespace is null ? RtNetlink.Open() : RtNetlink.OpenInNamespace(networkNamespace);
        return new NodeKernel(networkNamespace, netlink, new NetfilterApplier(runner, tool));
    }

    /// <summary>Whether skip-NAT pairs can live in a hash:net,net set; probed once.</summary>
    public async Task<bool> SupportsHashNetNetAsync(CancellationToken cancellationToken) =>
        _hashNetNet ??= await Netfilter.SupportsIpSetTypeAsync(RavenNetfilter.SkipNatSetType, cancellationToken).ConfigureAwait(false);

    /// <summary>Writes a sysctl in the node's namespace (net.* sysctls belong to the opening thread's namespace).</summary>
    public bool EnsureSysctl(string key, string value) =>
        NetworkNamespace is null
            ? Sysctl.Ensure(Linux.Sysctl.Key(key), value)
            : Linux.NetworkNamespace.Run(NetworkNamespace, () => Sysctl.Ensure(Linux.Sysctl.Key(key), value));

    public void Dispose() => Netlink.Dispose();
}
