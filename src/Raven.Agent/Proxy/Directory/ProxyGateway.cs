using System.Globalization;
using Raven.Api;
using Raven.Api.V1Beta1;

namespace Raven.Agent.Proxy.Directory;

/// <summary>One Gateway from the proxy's point of view.</summary>
/// <param name="ProxyNodes">Node names of status.activeEndpoints of type proxy: the elected proxy gateways whose
/// proxy clients reach into this domain.</param>
/// <param name="HttpPorts">spec.proxyConfig.proxyHTTPPort, parsed.</param>
/// <param name="HttpsPorts">spec.proxyConfig.proxyHTTPSPort, parsed.</param>
public sealed record ProxyGateway(string Name, IReadOnlyList<string> ProxyNodes, IReadOnlyList<int> HttpPorts,
    IReadOnlyList<int> HttpsPorts)
{
    public static ProxyGateway FromApi(Gateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var nodes = (gateway.Status.ActiveEndpoints ?? [])
            .Where(e => e.Type == WellKnown.EndpointTypeProxy && e.NodeName.Length > 0)
            .Select(e => e.NodeName).Distinct(StringComparer.Ordinal).ToList();
        return new ProxyGateway(gateway.Name, nodes, ParsePorts(gateway.Spec.ProxyConfig.ProxyHTTPPort),
            ParsePorts(gateway.Spec.ProxyConfig.ProxyHTTPSPort));
    }

    /// <summary>Parses "p1,p2"; entries that are not ports in 1-65535 are skipped (the webhook rejects them, and one
    /// bad entry must not disable the others).</summary>
    public static IReadOnlyList<int> ParsePorts(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : 0)
            .Where(p => p is >= 1 and <= 65535).Distinct().ToList();
}
