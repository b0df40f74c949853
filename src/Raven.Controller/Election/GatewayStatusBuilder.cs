using Raven.Api;
using Raven.Api.Json;
using Raven.Api.Meta;
using Raven.Api.V1Beta1;
using Raven.Api.Validation;

namespace Raven.Controller.Election;

/// <summary>An event the controller records on the Gateway.</summary>
public sealed record ElectionEvent(bool Warning, string Reason, string Message);

/// <summary>The status a Gateway should have, the events that explain the change, and input problems found.</summary>
public sealed record StatusDecision(GatewayStatus Status, IReadOnlyList<ElectionEvent> Events, IReadOnlyList<string> Problems)
{
    public bool ChangesStatusOf(Gateway gateway) => RavenJson.Serialize(Status) != RavenJson.Serialize(gateway.Status);
}

/// <summary>Pure: from a Gateway, its member nodes and raven-cfg to the status the controller writes.</summary>
public static class GatewayStatusBuilder
{
    public static StatusDecision Decide(Gateway gateway, IReadOnlyList<NodeFacts> members, FeatureSwitches switches, DateTimeOffset now)
    {
        var byName = members.GroupBy(m => m.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var actives = EndpointElection.Elect(gateway, byName, switches).ToList();
        var problems = new List<string>();
        var nodes = members.OrderBy(m => m.Name, StringComparer.Ordinal)
            .Select(m => new NodeInfo { NodeName = m.Name, PrivateIP = m.InternalIp, Subnets = [.. m.PodCidrs] })
            .ToList();
        AddExtraAllowedCidrs(gateway, actives, nodes, problems);

        var status = new GatewayStatus
        {
            Nodes = nodes.Count == 0 ? null : nodes,
            ActiveEndpoints = actives.Count == 0 ? null : actives,
            ObservedGeneration = gateway.Metadata.Generation,
            Conditions = GatewayConditions.Compute(gateway, actives, switches, now),
        };
        return new StatusDecision(status, Events(gateway.Status.ActiveEndpoints ?? [], actives), problems);
    }

    private static void AddExtraAllowedCidrs(Gateway gateway, List<Endpoint> actives, List<NodeInfo> nodes, List<string> problems)
    {
        var annotation = gateway.Metadata.Annotation(WellKnown.ExtraAllowedSourceCidrsAnnotation);
        var tunnel = actives.FirstOrDefault(e => e.Type == WellKnown.EndpointTypeTunnel);
        var node = tunnel is null ? null : nodes.FirstOrDefault(n => n.NodeName == tunnel.NodeName);
        if (string.IsNullOrWhiteSpace(annotation) || node is null)
        {
            return;
        }

        foreach (var entry in annotation.Split(',').Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            if (IpText.IsCidr(entry))
            {
                node.Subnets.Add(entry);
            }
            else
            {
                problems.Add($"annotation {WellKnown.ExtraAllowedSourceCidrsAnnotation}: '{entry}' is not a CIDR and was not added");
            }
        }
    }

    private static List<ElectionEvent> Events(IReadOnlyList<Endpoint> previous, IReadOnlyList<Endpoint> current)
    {
        static string Key(Endpoint e) => $"{e.Type}/{e.NodeName}";
        var before = previous.Select(Key).ToHashSet(StringComparer.Ordinal);
        var after = current.Select(Key).ToHashSet(StringComparer.Ordinal);
        var events = current.Where(e => !before.Contains(Key(e))).Select(e => new ElectionEvent(false, WellKnown.EventActiveEndpointElected,
            $"node {e.NodeName} now hosts the active {e.Type} endpoint (public IP {Shown(e.PublicIP)})")).ToList();
        events.AddRange(previous.Where(e => !after.Contains(Key(e))).Select(e => new ElectionEvent(true, WellKnown.EventActiveEndpointLost,
            $"node {e.NodeName} no longer hosts an active {e.Type} endpoint")));
        return events;
    }

    private static string Shown(string? value) => string.IsNullOrEmpty(value) ? "not yet known" : value;
}
