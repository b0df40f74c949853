namespace Raven.Cli.Diagnose;

/// <summary>
/// The functional core of `raven diagnose`: snapshot and clock in, results out, in the order an operator should read
/// them (what everything else depends on first). Each check returns its findings, or one PASS saying what it verified.
/// </summary>
public static class Diagnosis
{
    private static readonly Func<DiagnoseContext, IEnumerable<CheckResult>>[] Checks =
    [
        CrdCheck.Run,
        NodeMembershipCheck.Run,
        NodeAddressCheck.Run,
        AddressOverlapCheck.Run,
        EndpointNodesCheck.Run,
        ActiveEndpointsCheck.Run,
        AgentLeaseCheck.Run,
        RavenCfgCheck.Run,
        AgentConfigCheck.Run,
        PresharedKeyCheck.Run,
        WebhookCheck.Run,
        VpnDriverCheck.Run,
        TunnelHandshakeCheck.Run,
        MtuCheck.Run,
        ClockSkewCheck.Run,
    ];

    public static DiagnoseReport Run(DiagnoseSnapshot snapshot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var context = new DiagnoseContext(snapshot, now);
        return new DiagnoseReport([.. Checks.SelectMany(check => check(context))]);
    }

    /// <summary>The findings, or the single PASS when there are none.</summary>
    internal static IEnumerable<CheckResult> OrPass(this List<CheckResult> findings, string check, string passMessage) =>
        findings.Count > 0 ? findings : [CheckResult.Passed(check, passMessage)];
}
