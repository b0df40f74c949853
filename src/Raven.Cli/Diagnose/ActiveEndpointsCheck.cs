using Raven.Api;

namespace Raven.Cli.Diagnose;

/// <summary>
/// status.activeEndpoints is what agents act on: a Gateway with tunnel candidates but no active tunnel while L3 is
/// on is a domain cut off from every other one.
/// </summary>
internal static class ActiveEndpointsCheck
{
    public const string Name = "active-endpoints";

    private const string ElectionRemedy =
        "the controller elects Ready nodes with a live agent and an InternalIP: fix the endpoint nodes above, then see raven-controller's logs";

    public static IEnumerable<CheckResult> Run(DiagnoseContext context)
    {
        var findings = new List<CheckResult>();
        foreach (var gateway in context.SortedGateways)
        {
            var spec = gateway.Spec?.Endpoints ?? [];
            var actives = gateway.Status?.ActiveEndpoints ?? [];
            var candidates = spec.Count(e => e.Type == WellKnown.EndpointTypeTunnel);
            var proxies = spec.Count(e => e.Type == WellKnown.EndpointTypeProxy);
            if (context.Switches.Tunnel && candidates > 0 && !actives.Any(e => e.Type == WellKnown.EndpointTypeTunnel))
            {
                findings.Add(CheckResult.Failed(Name,
                    $"gateway {gateway.Name}: no active tunnel endpoint in status, though spec lists {candidates} and {WellKnown.EnableL3TunnelKey} is true: the domain is cut off over L3",
                    ElectionRemedy));
            }
            else if (context.Switches.Proxy && proxies > 0 && !actives.Any(e => e.Type == WellKnown.EndpointTypeProxy))
            {
                findings.Add(CheckResult.Warning(Name,
                    $"gateway {gateway.Name}: no active proxy endpoint in status, though spec lists {proxies} and {WellKnown.EnableL7ProxyKey} is true", ElectionRemedy));
            }
            else if (actives.Count == 0)
            {
                findings.Add(CheckResult.Warning(Name, $"gateway {gateway.Name}: no active endpoint in status" +
                        (spec.Count == 0 ? ": spec.endpoints is empty" : ": its endpoint types are switched off in raven-cfg"),
                    $"list endpoints in spec.endpoints of Gateway {gateway.Name}, and switch their type on in kube-system/{WellKnown.RavenGlobalConfig}"));
            }
        }

        return findings.OrPass(Name, $"{context.Gateways.Count} Gateway(s), each with the active endpoints raven-cfg asks for");
    }
}
