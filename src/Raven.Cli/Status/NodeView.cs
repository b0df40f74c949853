using k8s.Models;
using Raven.Controller.Election;
using Raven.Controller.Runtime;
using Raven.Kube.Models;

namespace Raven.Cli.Status;

/// <summary>One node as the report reads it: the controller's facts plus what only an operator wants (ages, label).</summary>
internal sealed record NodeView(NodeFacts Facts, string? Gateway, TimeSpan? LeaseAge, TimeSpan? ExpiredFor)
{
    public static NodeView Read(V1Node node, V1Lease? lease, DateTimeOffset now)
    {
        // The API has just answered, and a one-shot reader has no outage to allow for: an expired lease is expired.
        var facts = NodeFactsReader.Read(node, lease, [], now, apiReachableSince: DateTimeOffset.MinValue);
        var age = lease?.Spec?.RenewTime is { } renewed ? now - renewed.AsUtc() : (TimeSpan?)null;
        var expiry = lease is null ? DateTimeOffset.MinValue : NodeFactsReader.LeaseExpiry(lease);
        var expiredFor = lease is not null && expiry != DateTimeOffset.MinValue && expiry <= now ? now - expiry : (TimeSpan?)null;
        return new NodeView(facts, NodeFactsReader.GatewayOf(node), age, expiredFor);
    }

    /// <param name="domain">The node's gateway, whose serving choice is shown; null for a node in no domain.</param>
    public NodeReport ToReport(string? domain) => new(
        Facts.Name,
        Facts.Ready,
        Facts.InternalIp,
        LeaseAge is { } age ? Math.Round(age.TotalSeconds, 1) : null,
        Facts.AgentAlive,
        domain is null ? null : Facts.DataPlane?.Serving.GetValueOrDefault(domain));
}
