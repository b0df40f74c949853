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
    public static IReadOnlyList<DomainView> Read(IEnumerable<Gateway?> gateways, PlannerOptions options, List<Diagnostic> diagnostics) =>
        Read(gateways, options, new Dictionary<string, string>(StringComparer.Ordinal), diagnostics);

    /// <param name="serving">Per domain, the active tunnel endpoint node the local probes chose (see <see cref="LocalNode.ServingGateways"/>).</param>
    public static IReadOnlyList<DomainView> Read(IEnumerable<Gateway?> gateways, PlannerOptions options, IReadOnlyDictionary<string, string> serving, List<Diagnostic> diagnostics)
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

            domains.Add(ReadOne(group.Single(), subject, options, serving.GetValueOrDefault(group.Key), diagnostics));
        }

        return domains;
    }

    private static DomainView ReadOne(Gateway gateway, string subject, PlannerOptions options, string? serving, List<Diagnostic> diagnostics)
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
        var tunnels = ReadTunnels(gateway, subject, options, serving, diagnostics);
        return new DomainView(gateway.Name, exposed, tunnels.FirstOrDefault(), nodes.ToValueList(), cidrs)
        {
            Standbys = tunnels.Skip(1).ToValueList(),
        };
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

    /// <summary>
    /// The active tunnel endpoints in priority order (the order of <c>status.activeEndpoints</c>, one per node), the
    /// one the local probes chose first. An endpoint whose config the backend cannot use stays in the list (its
    /// <see cref="TunnelEndpointView.Problem"/> says why) only when it is the first: a standby nobody can use is left out.
    /// </summary>
    private static List<TunnelEndpointView> ReadTunnels(Gateway gateway, string subject, PlannerOptions options, string? serving, List<Diagnostic> diagnostics)
    {
        var active = (gateway.Status?.ActiveEndpoints ?? [])
            .OfType<Endpoint>()
            .Where(e => e.Type == WellKnown.EndpointTypeTunnel && !string.IsNullOrEmpty(e.NodeName))
            .DistinctBy(e => e.NodeName, StringComparer.Ordinal)
            .OrderBy(e => e.NodeName != serving)
            .ToList();
        var views = new List<TunnelEndpointView>();
        foreach (var endpoint in active)
        {
            var view = ReadTunnel(endpoint, subject, options, diagnostics, primary: views.Count == 0);
            if (views.Count == 0 || view.Problem is null)
            {
                views.Add(view);
            }
        }

        return views;
    }

    private static TunnelEndpointView ReadTunnel(Endpoint active, string subject, PlannerOptions options, List<Diagnostic> diagnostics, bool primary)
    {
        var which = primary ? "active tunnel endpoint" : $"standby tunnel endpoint {active.NodeName}";
        IPAddress? publicIp = null;
        if (!string.IsNullOrEmpty(active.PublicIP) && !Cidr.TryParseAddress(active.PublicIP, out publicIp))
        {
            diagnostics.Add(new(subject, $"{which} publicIP \"{active.PublicIP}\" is not an IP address; ignored", DiagnosticKind.SkippedInput));
        }

        var config = EndpointConfig.From(active.Config);
        if (config[WellKnown.VpnDriverConfigKey] is { Length: > 0 } driver && driver != options.Tunnel.Name)
        {
            // Another backend's packets mean nothing to this one: never a peer, whatever else its config holds.
            var message = $"{which} runs the {driver} VPN driver, this agent runs {options.Tunnel.Name} (mixed drivers cannot connect)";
            diagnostics.Add(new(subject, message, DiagnosticKind.SkippedPeer));
            return new TunnelEndpointView(active.NodeName, publicIp, active.Port, active.UnderNAT, active.PublicPort, active.NATType, config)
            {
                Problem = new(message, DiagnosticKind.SkippedPeer),
            };
        }

        var problem = options.Tunnel.ProblemWith(config);
        if (problem is { Kind: not DiagnosticKind.Notice })
        {
            diagnostics.Add(new(subject, primary ? $"{problem.Message}; treated as unknown" : $"{which}: {problem.Message}; not kept ready", problem.Kind));
        }

        return new TunnelEndpointView(active.NodeName, publicIp, active.Port, active.UnderNAT, active.PublicPort, active.NATType, config)
        {
            Problem = problem,
        };
    }
}
