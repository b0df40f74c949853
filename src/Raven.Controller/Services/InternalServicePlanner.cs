using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Api.Validation;

namespace Raven.Controller.Services;

/// <summary>
/// kube-system/x-raven-proxy-internal-svc: one port per proxied node port of every exposed gateway, pointing at the
/// proxy servers. Duplicates are merged and conflicts reported instead of producing a Service the API rejects.
/// </summary>
public static class InternalServicePlanner
{
    public const string Name = "x-raven-proxy-internal-svc";

    public sealed record Result(DesiredService? Service, IReadOnlyList<string> Conflicts);

    public static Result Plan(IEnumerable<Gateway> gateways, bool proxyEnabled, IReadOnlyDictionary<string, string> nodeIps, AgentPorts ports)
    {
        var exposed = gateways.Where(g => g.Spec.ExposeType is WellKnown.ExposeTypePublicIP or WellKnown.ExposeTypeLoadBalancer)
            .OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
        if (!proxyEnabled || exposed.Count == 0)
        {
            return new Result(null, []);
        }

        var conflicts = new List<string>();
        var byPort = new SortedDictionary<int, (string Scheme, string Gateway)>();
        foreach (var gateway in exposed)
        {
            Add(byPort, conflicts, gateway.Name, "http", PortList.Ports(gateway.Spec.ProxyConfig.ProxyHTTPPort));
            Add(byPort, conflicts, gateway.Name, "https", PortList.Ports(gateway.Spec.ProxyConfig.ProxyHTTPSPort));
        }

        var servicePorts = byPort.Select(p => new DesiredPort($"{p.Value.Scheme}-{p.Key}", "TCP", p.Key,
                p.Value.Scheme == "http" ? ports.ProxyInsecure : ports.ProxySecure))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        var addresses = exposed.SelectMany(g => g.Status.ActiveEndpoints ?? [])
            .Where(e => e.Type == WellKnown.EndpointTypeProxy && nodeIps.TryGetValue(e.NodeName, out var ip) && ip.Length > 0)
            .Select(e => new DesiredAddress(nodeIps[e.NodeName], e.NodeName))
            .DistinctBy(a => a.Ip).OrderBy(a => a.Ip, StringComparer.Ordinal).ToList();
        var service = new DesiredService(Name, "ClusterIP", new Dictionary<string, string> { ["app"] = "raven" },
            new Dictionary<string, string>(), servicePorts, addresses, null);
        return new Result(service, conflicts);
    }

    private static void Add(SortedDictionary<int, (string Scheme, string Gateway)> byPort, List<string> conflicts, string gateway, string scheme, IEnumerable<int> ports)
    {
        foreach (var port in ports)
        {
            if (!byPort.TryGetValue(port, out var existing))
            {
                byPort[port] = (scheme, gateway);
            }
            else if (existing.Scheme != scheme)
            {
                conflicts.Add($"port {port} is {existing.Scheme} in gateway {existing.Gateway} but {scheme} in gateway {gateway}; kept as {existing.Scheme}");
            }
        }
    }
}
