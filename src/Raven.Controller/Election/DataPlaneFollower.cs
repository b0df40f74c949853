using Raven.Api;
using Raven.Api.DataPlane;
using Raven.Api.V1Beta1;

namespace Raven.Controller.Election;

/// <summary>
/// Pure: the controller follows the data plane (docs/controller.md, "Following the data plane"). The agents decide
/// failover from their probes and publish it on their Leases; the controller records the outcome in
/// status.activeEndpoints (the serving endpoint first) and never reorders against it. The endpoint followed is the
/// domain's newest current claim: among the elected tunnel endpoints whose agent Lease is current and whose report
/// claims Serving, the highest epoch, ties by priority (the rule members apply to probe replies, §5.2). It is
/// contradicted, and not followed, when more of the domain's other reporting agents send through one other endpoint
/// than through it. Without a claim to follow, the current first tunnel endpoint stays first while it is elected.
/// </summary>
public static class DataPlaneFollower
{
    public const string EventTakeOver = "GatewayTakeOver";

    /// <param name="gateway">The Gateway's name: the domain key of the agents' serving choices.</param>
    /// <param name="previous">status.activeEndpoints as stored.</param>
    /// <param name="elected">The election's result (tunnel endpoints first).</param>
    /// <returns>The endpoints to write, and the take-over event when the serving tunnel endpoint changes because of a claim.</returns>
    public static (List<Endpoint> Actives, ElectionEvent? Event) Follow(
        string gateway, IReadOnlyList<Endpoint> previous, List<Endpoint> elected, IReadOnlyDictionary<string, NodeFacts> members)
    {
        var tunnels = elected.Where(e => e.Type == WellKnown.EndpointTypeTunnel).ToList();
        var before = previous.FirstOrDefault(e => e.Type == WellKnown.EndpointTypeTunnel)?.NodeName;
        var winner = Winner(tunnels, members);
        var votes = winner is { } w ? Votes(gateway, w.Node, members) : default;
        var followed = winner is not null && !(votes.Rival is { } r && r.Votes > votes.For);
        // Without a claim to follow, the serving endpoint stays first while it is still elected: the election's spec
        // order must not move the domain on its own (an old primary that is eligible again comes back behind it).
        var first = followed ? winner!.Value.Node : tunnels.Any(t => t.NodeName == before) ? before : null;
        if (first is null)
        {
            return (elected, null);
        }

        var serving = tunnels.First(t => t.NodeName == first);
        var ordered = new List<Endpoint> { serving };
        ordered.AddRange(tunnels.Where(t => !ReferenceEquals(t, serving)));
        ordered.AddRange(elected.Where(e => e.Type != WellKnown.EndpointTypeTunnel));
        if (!followed || before is null || before == first)
        {
            return (ordered, null);
        }

        var message = $"node {first} took over gateway {gateway}'s tunnel from node {before}: the data plane moved the domain " +
                      $"({first} {winner!.Value.Claim}; {before} {Describe(members.GetValueOrDefault(before))}; " +
                      $"{votes.For} of {votes.Reporters} other agents of the domain send through {first})";
        return (ordered, new ElectionEvent(false, EventTakeOver, message));
    }

    private static (string Node, DataPlaneClaim Claim)? Winner(List<Endpoint> tunnels, IReadOnlyDictionary<string, NodeFacts> members)
    {
        (string Node, DataPlaneClaim Claim)? best = null;
        foreach (var tunnel in tunnels)
        {
            // Order is priority: a later endpoint wins only with a strictly newer epoch.
            if (members.GetValueOrDefault(tunnel.NodeName)?.DataPlane?.Claim is { Serving: true } claim && (best is null || claim.Epoch > best.Value.Claim.Epoch))
            {
                best = (tunnel.NodeName, claim);
            }
        }

        return best;
    }

    /// <summary>Among the domain's agents other than the claimant that report a choice for it: how many chose it, how many report, and the strongest other choice.</summary>
    private static (int For, int Reporters, (string Node, int Votes)? Rival) Votes(string gateway, string claimant, IReadOnlyDictionary<string, NodeFacts> members)
    {
        var choices = members.Values.Where(m => m.Name != claimant)
            .Select(m => m.DataPlane?.Serving.GetValueOrDefault(gateway)).OfType<string>().ToList();
        var rival = choices.Where(c => c != claimant).GroupBy(c => c, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => ((string Node, int Votes)?)(g.Key, g.Count())).FirstOrDefault();
        return (choices.Count(c => c == claimant), choices.Count, rival);
    }

    private static string Describe(NodeFacts? node) => node switch
    {
        null => "is no member any more",
        { AgentAlive: false } => "has an expired agent lease",
        { DataPlane: null } => "reports no data-plane decision",
        { DataPlane.Claim: null } => "is standby",
        { DataPlane.Claim: var claim } => $"is {claim}",
    };
}
