using Raven.Api.Net;
using System.Net;
using Raven.Api;
using Raven.Api.V1Beta1;

namespace Raven.Agent.Planning;

/// <summary>
/// Turns Gateway objects into <see cref="DomainView"/>s. A bad field costs only that field (or node), reported as a
/// <see cref="Diagnostic"/>; nothing here throws for one malformed Gateway.
/// </summary>
internal static class DomainReader
{
    public static IReadOnlyList<DomainView> Read(IEnumerable<Gateway?> gateways, PlannerOptions options, List<Diagnostic> diagnostics)
    {
        var named = gateways.OfType<Gateway>().GroupBy(g => g.Name, StringComparer.Ordinal);
        var domains = new List<DomainView>();
        foreach (var group in named.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var subject = $"gateway/{group.Key}";
            if (group.Key.Length == 0)
            {
                diagnostics.Add(new(subject, "gateway without a name skipped", DiagnosticKind.SkippedInput));
                continue;
            }

            if (group.Count() > 1)
            {
                diagnostics.Add(new(subject, "gateway listed more than once; all copies skipped", DiagnosticKind.SkippedInput));
                continue;
            }

            domains.Add(ReadOne(group.Single(), subject, options, diagnostics));
        }

        return domains;
    }

    private static DomainView ReadOne(Gateway gateway, string subject, PlannerOptions options, List<Diagnostic> diagnostics)
    {
        var nodes = new List<DomainNode>();
        var infos = gateway.Status?.Nodes ?? [];
        foreach (var byName in infos.OfType<NodeInfo>().GroupBy(n => n.NodeName ?? "", StringComparer.Ordinal)
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (byName.Count() > 1)
            {
                diagnostics.Add(new(subject, $"node \"{byName.Key}\" listed more than once in status.nodes; skipped", DiagnosticKind.SkippedInput));
                continue;
            }

            if (ReadNode(byName.Single(), subject, options, diagnostics) is { } node)
            {
                nodes.Add(node);
            }
        }

        var cidrs = CidrMath.Merge(nodes.SelectMany(n => n.Subnets)).ToValueList();
        var exposed = !string.IsNullOrEmpty(gateway.Spec?.ExposeType);
        return new DomainView(gateway.Name, exposed, ReadTunnel(gateway, subject, options, diagnostics), nodes.ToValueList(), cidrs);
    }

    private static DomainNode? ReadNode(NodeInfo info, string subject, PlannerOptions options, List<Diagnostic> diagnostics)
    {
        if (string.IsNullOrEmpty(info.NodeName))
        {
            diagnostics.Add(new(subject, "status.nodes entry without nodeName skipped", DiagnosticKind.SkippedInput));
            return null;
        }

        if (!Cidr.TryParseAddress(info.PrivateIP, out var privateIp))
        {
            diagnostics.Add(new(subject, $"node {info.NodeName}: privateIP \"{info.PrivateIP}\" is not an IP address; node skipped", DiagnosticKind.SkippedInput));
            return null;
        }

        var subnets = new List<Cidr>();
        foreach (var text in info.Subnets ?? [])
        {
            if (Cidr.TryParse(text, out var cidr, out var error))
            {
                subnets.Add(cidr);
            }
            else
            {
                diagnostics.Add(new(subject, $"node {info.NodeName}: subnet skipped: {error}", DiagnosticKind.SkippedInput));
            }
        }

        if (options.ForwardNodeIp)
        {
            subnets.Add(Cidr.Host(privateIp));
        }

        return new DomainNode(info.NodeName, privateIp, CidrMath.Merge(subnets).ToValueList());
    }

    private static TunnelEndpointView? ReadTunnel(Gateway gateway, string subject, PlannerOptions options, List<Diagnostic> diagnostics)
    {
        var active = (gateway.Status?.ActiveEndpoints ?? [])
            .OfType<Endpoint>()
            .Where(e => e.Type == WellKnown.EndpointTypeTunnel && !string.IsNullOrEmpty(e.NodeName))
            .OrderBy(e => e.NodeName, StringComparer.Ordinal)
            .FirstOrDefault();
        if (active is null)
        {
            return null;
        }

        IPAddress? publicIp = null;
        if (!string.IsNullOrEmpty(active.PublicIP) && !Cidr.TryParseAddress(active.PublicIP, out publicIp))
        {
            diagnostics.Add(new(subject, $"active tunnel endpoint publicIP \"{active.PublicIP}\" is not an IP address; ignored", DiagnosticKind.SkippedInput));
        }

        var config = EndpointConfig.From(active.Config);
        return new TunnelEndpointView(active.NodeName, publicIp, active.Port, active.UnderNAT, active.PublicPort, active.NATType, config)
        {
            Problem = CheckConfig(config, subject, options, diagnostics),
        };
    }

    /// <summary>The backend's verdict on the endpoint's config; a malformed one is reported here, once per Gateway.</summary>
    private static PeerConfigProblem? CheckConfig(EndpointConfig config, string subject, PlannerOptions options, List<Diagnostic> diagnostics)
    {
        if (config[WellKnown.VpnDriverConfigKey] is { Length: > 0 } driver && driver != options.Tunnel.Name)
        {
            // Another backend's packets mean nothing to this one: never a peer, whatever else its config holds.
            var message = $"runs the {driver} VPN driver, this agent runs {options.Tunnel.Name} (mixed drivers cannot connect)";
            diagnostics.Add(new(subject, message, DiagnosticKind.SkippedPeer));
            return new(message, DiagnosticKind.SkippedPeer);
        }

        var problem = options.Tunnel.ProblemWith(config);
        if (problem is { Kind: not DiagnosticKind.Notice })
        {
            diagnostics.Add(new(subject, $"{problem.Message}; treated as unknown", problem.Kind));
        }

        return problem;
    }
}
