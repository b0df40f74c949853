using Raven.Agent.Engine;
using Raven.Api;
using Raven.Controller.Election;

namespace Raven.Cli.Diagnose;

/// <summary>
/// Gateways whose active endpoints publish different VPN drivers cannot build tunnels to each other (the controller's
/// MixedDrivers reads what each publishes). A driver other than raven-agent-config's means agents were not restarted.
/// </summary>
internal static class VpnDriverCheck
{
    public const string Name = "vpn-drivers";

    public static IEnumerable<CheckResult> Run(DiagnoseContext context)
    {
        var published = context.SortedGateways.Select(g => (Gateway: g.Name, Driver: MixedDrivers.Of(g.Status?.ActiveEndpoints)))
            .Where(p => p.Driver is not null).ToList();
        var findings = new List<CheckResult>();
        var drivers = published.Select(p => p.Driver!).Distinct(StringComparer.Ordinal).ToList();
        var restart = $"kubectl -n {WellKnown.WorkingNamespace} rollout restart ds/raven-agent-ds";
        if (drivers.Count > 1)
        {
            var list = string.Join(", ", published.Select(p => $"{p.Gateway} {p.Driver}"));
            var message = $"gateways run different VPN drivers ({list}): agents of different drivers skip each other as tunnel peers";
            var remedy = $"run one {AgentOptionsParser.VpnDriverConfigKey} across the cluster ({WellKnown.RavenAgentConfig}), then {restart}";
            findings.Add(context.Switches.Tunnel ? CheckResult.Failed(Name, message, remedy) : CheckResult.Warning(Name, message, remedy));
        }

        var configured = AgentConfigCheck.Driver(context);
        foreach (var (gateway, driver) in published.Where(p => !string.Equals(p.Driver, configured, StringComparison.OrdinalIgnoreCase)))
        {
            findings.Add(CheckResult.Warning(Name, $"gateway {gateway} runs {driver}, but {WellKnown.RavenAgentConfig} says {configured}: its agents run an older setting or a --vpn-driver flag",
                $"if {configured} is meant, {restart}"));
        }

        return findings.OrPass(Name, published.Count == 0
            ? "no active endpoint publishes its VPN driver yet"
            : $"{published.Count} gateway(s) publish one VPN driver: {drivers[0]}");
    }
}
