using Raven.Agent.Engine;
using Raven.Agent.Tunnel;
using Raven.Api;

namespace Raven.Cli.Diagnose;

/// <summary>
/// kube-system/raven-agent-config feeds every agent its tunnel backend (vpn-driver, through the DaemonSet's env).
/// An unknown driver keeps agents from starting, so it fails; a missing ConfigMap leaves them on defaults.
/// </summary>
internal static class AgentConfigCheck
{
    public const string Name = "raven-agent-config";

    public static IEnumerable<CheckResult> Run(DiagnoseContext context)
    {
        var cfg = $"{WellKnown.WorkingNamespace}/{WellKnown.RavenAgentConfig}";
        if (context.Snapshot.Unreadable.TryGetValue(Name, out var refused))
        {
            return [CheckResult.Warning(Name, $"cannot read {cfg}: {refused}", "run with credentials that may get configmaps in " + WellKnown.WorkingNamespace)];
        }

        if (context.Snapshot.AgentConfig is not { } data)
        {
            return [CheckResult.Warning(Name, $"{cfg} is missing: agents run on their defaults ({AgentOptionsParser.VpnDriverConfigKey} {AgentOptionsParser.WireGuardDriver})",
                "kubectl apply -f deploy/base/agent/raven-agent-config.yaml")];
        }

        var driver = Driver(context);
        if (TunnelBackends.Find(driver) is null)
        {
            return [CheckResult.Failed(Name, $"{cfg} {AgentOptionsParser.VpnDriverConfigKey}: {TunnelBackends.UnknownMessage(driver)}",
                $"set {AgentOptionsParser.VpnDriverConfigKey} to a known driver, then kubectl -n {WellKnown.WorkingNamespace} rollout restart ds/raven-agent-ds")];
        }

        return [CheckResult.Passed(Name, $"{cfg}: {AgentOptionsParser.VpnDriverConfigKey} {driver}" + (data.ContainsKey(AgentOptionsParser.VpnDriverConfigKey) ? "" : " (default)"))];
    }

    /// <summary>The driver agents get: the ConfigMap's vpn-driver, else the agent's default.</summary>
    public static string Driver(DiagnoseContext context) =>
        context.Snapshot.AgentConfig?.GetValueOrDefault(AgentOptionsParser.VpnDriverConfigKey) is { Length: > 0 } value ? value.Trim() : AgentOptionsParser.WireGuardDriver;
}
