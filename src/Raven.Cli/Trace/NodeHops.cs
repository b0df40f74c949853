using k8s.Models;

namespace Raven.Cli.Trace;

/// <summary>Pure: the pod and node hops, with the health `raven status` would give the node.</summary>
internal static class NodeHops
{
    public static TraceHop Pod(V1Pod? pod, TraceEnd end, string role)
    {
        if (pod is null)
        {
            return new TraceHop("pod", end.Pod ?? "", end.Address, TraceHealth.Fail, $"{role}: the pod is no longer listed", TraceHealth.Api);
        }

        var phase = pod.Status?.Phase ?? "Unknown";
        var health = phase == "Running" && end.Address is not null ? TraceHealth.Ok : TraceHealth.Warn;
        var reason = $"{role}, on node {end.Node}, phase {phase}" + (end.Address is null ? ", no pod IP yet (status.podIP)" : "")
                     + (pod.Spec?.HostNetwork == true ? ", host network (it is its node's own stack)" : "");
        return new TraceHop("pod", end.Pod ?? "", end.Address, health, reason, TraceHealth.Api);
    }

    /// <summary>A node the packet passes: WARN when NotReady or its agent's Lease is missing or expired (its routes may be stale).</summary>
    public static TraceHop Node(TraceContext context, string name, string role, string? address = null)
    {
        if (!context.Nodes.TryGetValue(name, out var node))
        {
            return new TraceHop("node", name, address, TraceHealth.Fail, $"{role}: there is no node {name}", TraceHealth.Api);
        }

        var (health, state) = Health(node);
        return new TraceHop("node", name, address ?? NullIfEmpty(node.Facts.InternalIp), health, $"{role}; {state}", TraceHealth.Api);
    }

    /// <summary>The node's own state in a few words, and whether it is a warning.</summary>
    public static (string Health, string State) Health(Status.NodeView node)
    {
        var problems = new List<string>();
        if (!node.Facts.Ready)
        {
            problems.Add("NotReady");
        }

        switch (node.Facts.AgentAlive)
        {
            case null:
                problems.Add("no agent Lease (is raven agent running there?)");
                break;
            case false:
                problems.Add($"agent Lease expired{(node.ExpiredFor is { } e ? $" {Status.StatusBuilder.Seconds(e)} s ago" : "")}: its agent stopped renewing it, the routes it set may be stale");
                break;
        }

        return problems.Count > 0
            ? (TraceHealth.Warn, string.Join("; ", problems))
            : (TraceHealth.Ok, $"Ready, agent Lease renewed {(node.LeaseAge is { } age ? Status.StatusBuilder.Seconds(age) : "?")} s ago");
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
