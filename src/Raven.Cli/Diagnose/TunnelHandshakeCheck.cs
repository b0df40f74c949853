using Raven.Api;
using Raven.Api.DataPlane;
using Raven.Cli.Status;

namespace Raven.Cli.Diagnose;

/// <summary>
/// Tunnel port reachability as the handshakes show it: every domain's serving tunnel endpoint publishes a connection
/// report (<see cref="ConnectionReport"/>), and each of its connections to the other domains' serving endpoints is up
/// with a WireGuard handshake younger than 3 minutes (IPsec: a CHILD SA installed). Read through the same
/// <see cref="TunnelMatrix"/> as `raven status`, so both say the same.
/// </summary>
internal static class TunnelHandshakeCheck
{
    public const string Name = "tunnel-handshakes";

    public static IEnumerable<CheckResult> Run(DiagnoseContext context)
    {
        if (!context.Switches.Tunnel)
        {
            return [CheckResult.Passed(Name, "L3 tunnel off: no tunnels to check")];
        }

        var status = StatusBuilder.Build(context.Snapshot.Cluster with { ReadAt = context.Now });
        var problems = new List<StatusProblem>();
        var pairs = TunnelMatrix.Build(status.Gateways, context.Snapshot.Cluster.AgentLeases, context.Now, problems);
        var findings = new List<CheckResult>();
        foreach (var problem in problems.Where(p => p.Subject.StartsWith("node ", StringComparison.Ordinal)))
        {
            var node = problem.Subject["node ".Length..];
            findings.Add(CheckResult.Warning(Name, $"{problem.Subject}: {problem.Message}",
                $"run a raven agent that publishes {ConnectionReport.Annotation} on {node} and read its log (kubectl -n {WellKnown.WorkingNamespace} logs the raven-agent pod on {node})"));
        }

        foreach (var pair in pairs.Where(p => p.Problem is not null))
        {
            var message = $"{pair.From} ({pair.FromNode}) → {pair.To} ({(pair.Via.Length == 0 ? "?" : pair.Via)}): {pair.Problem}";
            var stale = problems.Any(p => p.Subject == $"tunnel {pair.From} → {pair.To}" && p.Severity == StatusProblem.Warning);
            var remedy = Remedy(pair, BackendOf(context, pair.FromNode));
            findings.Add(stale ? CheckResult.Warning(Name, message, remedy) : CheckResult.Failed(Name, message, remedy));
        }

        var healthy = pairs.Count(p => p.Problem is null);
        return findings.OrPass(Name, pairs.Count == 0
            ? "fewer than two domains have a serving tunnel endpoint: no tunnels to check"
            : $"{healthy} tunnel pair(s) between serving endpoints up, handshakes younger than {TunnelMatrix.HandshakeLimit.TotalMinutes:0} min");
    }

    private static string? BackendOf(DiagnoseContext context, string node) =>
        context.Leases.TryGetValue(node, out var lease) ? ConnectionReport.TryParse(lease.Metadata.Annotations?.TryGetValue(ConnectionReport.Annotation, out var text) == true ? text : null)?.Backend : null;

    /// <summary>What usually keeps a tunnel from handshaking, by backend: the port, then the shared secret.</summary>
    private static string Remedy(TunnelPairReport pair, string? backend)
    {
        var between = $"{pair.FromNode} and {(pair.Via.Length == 0 ? pair.To + "'s endpoint" : pair.Via)}";
        if (pair.Path == "-")
        {
            return $"read {pair.FromNode}'s agent log for why it plans no tunnel to {pair.To} (skipped peer, missing public key or IP, mixed drivers)";
        }

        return backend switch
        {
            "ipsec" or "libreswan" => $"let UDP 500 and 4500 through between {between} (firewall, security group, NAT), and check that vpn-connection-psk in {WellKnown.WorkingNamespace}/raven-agent-secret is the same everywhere (a PSK mismatch fails IKE AUTH)",
            _ => $"let the tunnel's UDP port (WireGuard: --vpn-bind-port, 4500 by default) through between {between} (firewall, security group, NAT), and check both publish their public keys on the Gateway",
        };
    }
}
