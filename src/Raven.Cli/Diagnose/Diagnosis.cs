namespace Raven.Cli.Diagnose;

/// <summary>
/// The functional core of `raven diagnose`: snapshot and clock in, results out, in the order an operator should read
/// them (what everything else depends on first). Each check returns its findings, or one PASS saying what it verified.
/// </summary>
public static class Diagnosis
{
    /// <summary>Each check with whether it judges Gateways (without them it would pass or fail on nothing).</summary>
    private static readonly (string Name, bool NeedsGateways, Func<DiagnoseContext, IEnumerable<CheckResult>> Run)[] Checks =
    [
        (CrdCheck.Name, false, CrdCheck.Run),
        (NodeMembershipCheck.Name, true, NodeMembershipCheck.Run),
        (NodeAddressCheck.Name, true, NodeAddressCheck.Run),
        (AddressOverlapCheck.Name, true, AddressOverlapCheck.Run),
        (EndpointNodesCheck.Name, true, EndpointNodesCheck.Run),
        (ActiveEndpointsCheck.Name, true, ActiveEndpointsCheck.Run),
        (AgentLeaseCheck.Name, false, AgentLeaseCheck.Run),
        (RavenCfgCheck.Name, false, RavenCfgCheck.Run),
        (AgentConfigCheck.Name, false, AgentConfigCheck.Run),
        (PresharedKeyCheck.Name, false, PresharedKeyCheck.Run),
        (WebhookCheck.Name, false, WebhookCheck.Run),
        (VpnDriverCheck.Name, true, VpnDriverCheck.Run),
        (TunnelHandshakeCheck.Name, true, TunnelHandshakeCheck.Run),
        (MtuCheck.Name, false, MtuCheck.Run),
        (ClockSkewCheck.Name, false, ClockSkewCheck.Run),
    ];

    public static DiagnoseReport Run(DiagnoseSnapshot snapshot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var context = new DiagnoseContext(snapshot, now);
        var served = snapshot.Cluster.GatewaysServed;
        return new DiagnoseReport([.. Checks.SelectMany(check => served || !check.NeedsGateways
            ? check.Run(context)
            : [CheckResult.Warning(check.Name, "not checked: the API server serves no v1beta1 Gateways to judge", "fix the crd check first, then run diagnose again")])]);
    }

    /// <summary>The findings, or the single PASS when there are none.</summary>
    internal static IEnumerable<CheckResult> OrPass(this List<CheckResult> findings, string check, string passMessage) =>
        findings.Count > 0 ? findings : [CheckResult.Passed(check, passMessage)];
}
