using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Controller.Election;

namespace Raven.Cli.Status;

/// <summary>Pure: one Gateway's part of the report (roles of its endpoints, its nodes) and its problems.</summary>
internal static class GatewayStatusReader
{
    public static GatewayReport Read(Gateway gateway, IReadOnlyDictionary<string, NodeView> nodes, FeatureSwitches switches, List<StatusProblem> problems)
    {
        var subject = $"gateway {gateway.Name}";
        var members = nodes.Values.Where(n => n.Gateway == gateway.Name).ToList();
        var facts = members.ToDictionary(m => m.Facts.Name, m => m.Facts, StringComparer.Ordinal);
        var spec = gateway.Spec.Endpoints ?? [];
        var actives = gateway.Status.ActiveEndpoints ?? [];
        var activeTunnels = actives.Where(e => e.Type == WellKnown.EndpointTypeTunnel).Select(e => e.NodeName).ToList();
        var activeProxies = actives.Where(e => e.Type == WellKnown.EndpointTypeProxy).Select(e => e.NodeName).ToHashSet(StringComparer.Ordinal);
        var serving = activeTunnels.FirstOrDefault();

        var tunnels = spec.Where(e => e.Type == WellKnown.EndpointTypeTunnel).DistinctBy(e => e.NodeName)
            .Select(e => Tunnel(gateway.Name, e, serving, activeTunnels, members)).ToList();
        var proxies = spec.Where(e => e.Type == WellKnown.EndpointTypeProxy).DistinctBy(e => e.NodeName)
            .Select(e => new ProxyEndpointReport(e.NodeName, activeProxies.Contains(e.NodeName) ? EndpointRoles.Active : EndpointRoles.Candidate, e.PublicIP)).ToList();

        ElectionProblems(gateway, switches, serving, activeProxies, subject, problems);
        EndpointProblems(gateway, spec, actives, nodes, subject, problems);
        DataPlaneProblems(gateway, spec, actives, serving, facts, subject, problems);
        var activeNodes = actives.Select(e => e.NodeName).ToHashSet(StringComparer.Ordinal);
        foreach (var member in members)
        {
            StatusBuilder.NodeProblems(member, activeNodes.Contains(member.Facts.Name), problems);
        }

        return new GatewayReport(gateway.Name, gateway.Spec.ExposeType ?? "", gateway.Spec.TunnelConfig.Replicas, gateway.Spec.ProxyConfig.Replicas, serving,
            tunnels, proxies, [.. members.Select(m => m.ToReport(gateway.Name))]);
    }

    private static TunnelEndpointReport Tunnel(string domain, Endpoint endpoint, string? serving, List<string> activeTunnels, List<NodeView> members)
    {
        var role = endpoint.NodeName == serving ? EndpointRoles.Serving
            : activeTunnels.Contains(endpoint.NodeName) ? EndpointRoles.Standby : EndpointRoles.Candidate;
        var choices = members.Select(m => m.Facts.DataPlane?.Serving.GetValueOrDefault(domain)).OfType<string>().ToList();
        var claim = members.FirstOrDefault(m => m.Facts.Name == endpoint.NodeName)?.Facts.DataPlane?.Claim;
        return new TunnelEndpointReport(endpoint.NodeName, role, endpoint.PublicIP, endpoint.PublicPort, endpoint.UnderNAT, claim?.ToString(),
            choices.Count(c => c == endpoint.NodeName), choices.Count);
    }

    private static void ElectionProblems(Gateway gateway, FeatureSwitches switches, string? serving, HashSet<string> activeProxies, string subject, List<StatusProblem> problems)
    {
        var spec = gateway.Spec.Endpoints ?? [];
        if (switches.Tunnel && gateway.Spec.TunnelConfig.Replicas > 0 && serving is null)
        {
            problems.Add(new StatusProblem(StatusProblem.Error, subject, spec.Any(e => e.Type == WellKnown.EndpointTypeTunnel)
                ? "no serving tunnel endpoint: none of its tunnel endpoints is elected (see the nodes' problems; is raven controller running?)"
                : "no serving tunnel endpoint: spec.endpoints lists no endpoint of type tunnel"));
        }

        if (switches.Proxy && gateway.Spec.ProxyConfig.Replicas > 0 && activeProxies.Count == 0)
        {
            problems.Add(new StatusProblem(StatusProblem.Error, subject, spec.Any(e => e.Type == WellKnown.EndpointTypeProxy)
                ? "no active proxy endpoint: none of its proxy endpoints is elected (see the nodes' problems; is raven controller running?)"
                : "no active proxy endpoint: spec.endpoints lists no endpoint of type proxy"));
        }
    }

    /// <summary>Endpoints that name a node that is missing or in another domain; active endpoints the spec no longer lists.</summary>
    private static void EndpointProblems(Gateway gateway, List<Endpoint> spec, List<Endpoint> actives, IReadOnlyDictionary<string, NodeView> nodes, string subject, List<StatusProblem> problems)
    {
        foreach (var endpoint in spec.DistinctBy(e => (e.NodeName, e.Type)))
        {
            var what = $"{endpoint.Type} endpoint {endpoint.NodeName}";
            if (!nodes.TryGetValue(endpoint.NodeName, out var node))
            {
                problems.Add(new StatusProblem(StatusProblem.Error, subject, $"{what}: there is no node {endpoint.NodeName}"));
            }
            else if (node.Gateway != gateway.Name)
            {
                problems.Add(new StatusProblem(StatusProblem.Error, subject, node.Gateway is null
                    ? $"{what}: node {endpoint.NodeName} is not a member (no {WellKnown.GatewayLabel} label), so it is never elected"
                    : $"{what}: node {endpoint.NodeName} is a member of gateway {node.Gateway}, so it is never elected here"));
            }
        }

        foreach (var active in actives.Where(a => !spec.Any(e => e.NodeName == a.NodeName && e.Type == a.Type)))
        {
            problems.Add(new StatusProblem(StatusProblem.Warning, subject, $"status.activeEndpoints lists {active.Type} endpoint {active.NodeName}, which spec.endpoints no longer has (the controller has not caught up)"));
        }
    }

    /// <summary>The agents' claims against status.activeEndpoints, judged by the controller's own rule.</summary>
    private static void DataPlaneProblems(Gateway gateway, List<Endpoint> spec, List<Endpoint> actives, string? serving, Dictionary<string, NodeFacts> facts, string subject, List<StatusProblem> problems)
    {
        if (serving is null)
        {
            return;
        }

        // The active endpoints in spec order, as the controller's election hands them to the follower.
        var elected = spec.Where(e => actives.Any(a => a.NodeName == e.NodeName && a.Type == e.Type)).DistinctBy(e => (e.NodeName, e.Type)).ToList();
        var (followed, _) = DataPlaneFollower.Follow(gateway.Name, actives, elected, facts);
        var dataPlaneFirst = followed.FirstOrDefault(e => e.Type == WellKnown.EndpointTypeTunnel)?.NodeName;
        if (dataPlaneFirst is not null && dataPlaneFirst != serving && facts.GetValueOrDefault(dataPlaneFirst)?.DataPlane?.Claim is { Serving: true } claim)
        {
            problems.Add(new StatusProblem(StatusProblem.Warning, subject,
                $"the data plane serves the domain through {dataPlaneFirst} ({claim}), but status.activeEndpoints lists {serving} first: is raven controller running?"));
        }

        var claimants = spec.Where(e => e.Type == WellKnown.EndpointTypeTunnel).Select(e => e.NodeName).Distinct(StringComparer.Ordinal)
            .Where(n => facts.GetValueOrDefault(n)?.DataPlane?.Claim is { Serving: true, Yielding: false }).ToList();
        if (claimants.Count > 1)
        {
            problems.Add(new StatusProblem(StatusProblem.Warning, subject,
                $"{claimants.Count} tunnel endpoints claim serving at once ({string.Join(", ", claimants.Select(c => $"{c} {facts[c].DataPlane!.Claim}"))}): a take-over in progress, or a split brain if it lasts"));
        }

        var astray = facts.Values.Where(f => f.DataPlane?.Serving.GetValueOrDefault(gateway.Name) is { } via && via != serving)
            .Select(f => $"{f.Name} via {f.DataPlane!.Serving[gateway.Name]}").ToList();
        if (astray.Count > 0)
        {
            problems.Add(new StatusProblem(StatusProblem.Warning, subject,
                $"{astray.Count} agent(s) of the domain send through another endpoint than the serving {serving}: {string.Join(", ", astray)}"));
        }
    }
}
