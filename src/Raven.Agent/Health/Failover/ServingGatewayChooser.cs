namespace Raven.Agent.Health.Failover;

/// <summary>
/// The rule by which a node outside a domain's gateway set follows that domain's serving gateway — a member of the
/// domain choosing where its own routes point, or a remote gateway choosing which peer carries the domain's subnets
/// (docs/health-probes.md §5). Each caller moves only what it owns: a member its own routes, a remote gateway its
/// own peer bindings; nobody else ever reads the result, so one node's broken link moves nothing but that node.
/// In order:
/// 1. a gateway that is Up from here (or answers again, its detector in hold-down) and claims to serve wins;
///    several: the highest epoch, then priority. With WireGuard a remote gateway that sends a domain's subnets to one
///    endpoint also accepts them only from that endpoint, so following anyone but the claimant drops the replies;
/// 2. else the current choice while it is Up or answers again (no flapping on a missing claim, nor on a gap);
/// 3. else the first Up gateway in priority order (the primary died and the standby has not claimed yet);
/// 4. else nothing is Up from here: keep the current choice (at startup: the one the controller records as serving,
///    else the primary) — moving cannot help.
/// </summary>
public static class ServingGatewayChooser
{
    /// <param name="gateways">The domain's tunnel gateways in priority order (spec order: primary first).</param>
    /// <param name="current">The gateway this node uses now; null at startup.</param>
    /// <param name="recorded">The gateway the controller lists first in the status (<see cref="Wiring.HealthDomain.Recorded"/>):
    /// the startup choice when nothing is Up yet.</param>
    public static GatewayChoice Choose(IReadOnlyList<GatewayObservation> gateways, string? current, string? recorded = null)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        if (gateways.Count == 0)
        {
            return new GatewayChoice(null, ChoiceReason.NoGateways, "the domain has no tunnel gateway");
        }

        GatewayObservation? claimant = null;
        foreach (var gateway in gateways.Where(g => g.AnswersServing))
        {
            if (claimant is null || gateway.LastClaim!.Value.Epoch > claimant.LastClaim!.Value.Epoch)
            {
                claimant = gateway;
            }
        }

        if (claimant is not null)
        {
            return new GatewayChoice(claimant.NodeName, ChoiceReason.ClaimedServing,
                $"{claimant.NodeName} is {(claimant.IsUp ? "Up" : "answering again")} and serves at epoch {claimant.LastClaim!.Value.Epoch}");
        }

        var currentGateway = gateways.FirstOrDefault(g => g.NodeName == current);
        if (currentGateway is { IsUp: true } or { Answering: true })
        {
            return new GatewayChoice(currentGateway.NodeName, ChoiceReason.KeptCurrent,
                $"no reachable gateway claims to serve; {currentGateway.NodeName} is {(currentGateway.IsUp ? "still Up" : "answering again")}");
        }

        if (gateways.FirstOrDefault(g => g.IsUp) is { } firstUp)
        {
            return new GatewayChoice(firstUp.NodeName, ChoiceReason.FirstUp,
                $"{current ?? "no gateway"} is {currentGateway?.State.ToString() ?? "not chosen"}; {firstUp.NodeName} is the first Up in priority order");
        }

        return currentGateway is not null
            ? new GatewayChoice(currentGateway.NodeName, ChoiceReason.NothingUpKeptCurrent,
                $"no gateway of the domain is Up from here ({Describe(gateways)}); keeping {currentGateway.NodeName}")
            : gateways.FirstOrDefault(g => g.NodeName == recorded) is { } last
                ? new GatewayChoice(last.NodeName, ChoiceReason.NothingUpPrimary,
                    $"no gateway of the domain is Up from here ({Describe(gateways)}); using {last.NodeName}, which the status lists as serving")
                : new GatewayChoice(gateways[0].NodeName, ChoiceReason.NothingUpPrimary,
                    $"no gateway of the domain is Up from here ({Describe(gateways)}); using the primary");
    }

    private static string Describe(IReadOnlyList<GatewayObservation> gateways) =>
        string.Join(", ", gateways.Select(g => $"{g.NodeName} {g.State}"));
}
