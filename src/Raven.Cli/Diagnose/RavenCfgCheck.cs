using Raven.Api;

namespace Raven.Cli.Diagnose;

/// <summary>
/// kube-system/raven-cfg switches L3 and L7 on. The controller reads anything but "true" as off, so a typo such as
/// "yes" silently disables a feature: it fails here naming the key.
/// </summary>
internal static class RavenCfgCheck
{
    public const string Name = "raven-cfg";

    private static readonly string[] Keys = [WellKnown.EnableL3TunnelKey, WellKnown.EnableL7ProxyKey];

    public static IEnumerable<CheckResult> Run(DiagnoseContext context)
    {
        var cfg = $"{WellKnown.WorkingNamespace}/{WellKnown.RavenGlobalConfig}";
        if (context.Snapshot.Cluster.RavenCfg is not { } data)
        {
            return [CheckResult.Failed(Name, $"{cfg} is missing: the controller elects no endpoints (L3 and L7 off)", "kubectl apply -f deploy/base/raven-cfg.yaml")];
        }

        var findings = new List<CheckResult>();
        foreach (var key in Keys)
        {
            var patch = $"kubectl -n {WellKnown.WorkingNamespace} patch configmap {WellKnown.RavenGlobalConfig} --type merge -p '{{\"data\":{{\"{key}\":\"true\"}}}}' (or \"false\")";
            if (!data.TryGetValue(key, out var value))
            {
                findings.Add(CheckResult.Warning(Name, $"{cfg} has no {key}: read as false", patch));
            }
            else if (!bool.TryParse(value.Trim(), out _))
            {
                findings.Add(CheckResult.Failed(Name, $"{cfg} {key}: \"{value}\" is neither \"true\" nor \"false\": read as false", patch));
            }
        }

        if (findings.Count == 0 && !context.Switches.Tunnel && !context.Switches.Proxy)
        {
            findings.Add(CheckResult.Warning(Name, $"{cfg} switches both L3 and L7 off: Raven connects no domains",
                $"set {WellKnown.EnableL3TunnelKey} and/or {WellKnown.EnableL7ProxyKey} to \"true\""));
        }

        return findings.OrPass(Name, $"{cfg}: {WellKnown.EnableL3TunnelKey} {context.Switches.Tunnel.ToString().ToLowerInvariant()}, " +
                                     $"{WellKnown.EnableL7ProxyKey} {context.Switches.Proxy.ToString().ToLowerInvariant()}");
    }
}
