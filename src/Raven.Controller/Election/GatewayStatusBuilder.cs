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
    public const string EventInvalidNodeField = "InvalidNodeField";
    public const string EventAddressOverlap = "AddressOverlap";
    public const string EventMixedVpnDrivers = "MixedVpnDrivers";

    /// <summary>Longest item in a NodesValid message: a garbage field value must not blow up the status.</summary>
    private const int MaxItemLength = 300;

    /// <param name="others">Every other gateway's members, for the overlap check; none means no check.</param>
    public static StatusDecision Decide(
        Gateway gateway, IReadOnlyList<NodeFacts> members, FeatureSwitches switches, DateTimeOffset now, IReadOnlyList<GatewayMembers>? others = null)
    {
        var byName = members.GroupBy(m => m.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var (actives, takeOver) = DataPlaneFollower.Follow(gateway.Name, gateway.Status.ActiveEndpoints ?? [],
            [.. EndpointElection.Elect(gateway, byName, switches)], byName);
        var problems = new List<string>();
        // A node without an InternalIP has no entry agents could use; its bad pod CIDRs were already left out.
        var nodes = members.Where(m => m.HasAddress).OrderBy(m => m.Name, StringComparer.Ordinal)
            .Select(m => new NodeInfo { NodeName = m.Name, PrivateIP = m.InternalIp, Subnets = [.. m.PodCidrs] })
            .ToList();
        AddExtraAllowedCidrs(gateway, actives, nodes, problems);

        var invalid = InvalidFieldItems(members);
        var overlaps = AddressOverlaps.Find(gateway.Name, members, others ?? []);
        var overlapItems = overlaps.Select(o => $"with gateway {o.OtherGateway}: {o.Described}").ToList();
        var driver = MixedDrivers.Of(actives);
        var mismatches = MixedDrivers.Find(gateway.Name, driver, others ?? []);
        var status = new GatewayStatus
        {
            Nodes = nodes.Count == 0 ? null : nodes,
            ActiveEndpoints = actives.Count == 0 ? null : actives,
            ObservedGeneration = gateway.Metadata.Generation,
            Conditions = [.. GatewayConditions.Compute(gateway, actives, switches, now),
                .. GatewayConditions.ComputeInputs(gateway, invalid, overlapItems, now),
                GatewayConditions.ComputeDrivers(gateway, driver, [.. mismatches.Select(m => m.Item)], now)],
        };
        // Input problems first: they often explain the election events that follow.
        var events = InputEvents(gateway, invalid, overlaps, overlapItems).ToList();
        events.AddRange(DriverEvents(gateway, mismatches));
        events.AddRange(Events(gateway.Status.ActiveEndpoints ?? [], actives));
        if (takeOver is not null)
        {
            events.Add(takeOver);
        }
        return new StatusDecision(status, events, problems);
    }

    /// <summary>"node n: field: what is wrong (consequence)", one per unusable field, sorted by node.</summary>
    private static List<string> InvalidFieldItems(IReadOnlyList<NodeFacts> members) =>
    [
        .. members.OrderBy(m => m.Name, StringComparer.Ordinal).SelectMany(m => m.Problems.Select(p =>
            Item($"node {m.Name}: {p.Field}: {p.Message} ({(m.HasAddress ? "value left out of status.nodes" : "node left out of status.nodes and not elected")})"))),
    ];

    /// <summary>Warnings only for items the stored condition did not list yet, so a resync repeats nothing.</summary>
    private static IEnumerable<ElectionEvent> InputEvents(Gateway gateway, List<string> invalid, IReadOnlyList<AddressOverlap> overlaps, List<string> overlapItems)
    {
        var knownInvalid = GatewayConditions.PreviousItems(gateway, GatewayConditions.NodesValid);
        foreach (var item in invalid.Where(i => !knownInvalid.Contains(i)))
        {
            yield return new ElectionEvent(true, EventInvalidNodeField, item);
        }

        var knownOverlaps = GatewayConditions.PreviousItems(gateway, GatewayConditions.AddressesUnique);
        for (var i = 0; i < overlaps.Count; i++)
        {
            if (!knownOverlaps.Contains(overlapItems[i]))
            {
                yield return new ElectionEvent(true, EventAddressOverlap,
                    $"gateway {gateway.Name} and gateway {overlaps[i].OtherGateway} claim the same addresses: {overlaps[i].Described}. " +
                    "Agents route them to neither domain; reach those nodes by name through L7, or give the domains distinct addresses");
            }
        }
    }

    /// <summary>A warning per gateway newly found running another driver, naming both; a resync repeats nothing.</summary>
    private static IEnumerable<ElectionEvent> DriverEvents(Gateway gateway, IReadOnlyList<DriverMismatch> mismatches)
    {
        var known = GatewayConditions.PreviousItems(gateway, GatewayConditions.TunnelDriversMatch);
        return mismatches.Where(m => !known.Contains(m.Item)).Select(m => new ElectionEvent(true, EventMixedVpnDrivers,
            $"gateway {gateway.Name} runs the {m.Driver} VPN driver and gateway {m.OtherGateway} runs {m.OtherDriver}: their agents cannot " +
            "connect and skip each other as tunnel peers; run one --vpn-driver (raven-agent-config vpn-driver) across the cluster"));
    }

    /// <summary>Condition items are split on "; " later, so field values can never add one.</summary>
    private static string Item(string text)
    {
        var clean = text.Replace(';', ',');
        return clean.Length <= MaxItemLength ? clean : string.Concat(clean.AsSpan(0, MaxItemLength - 3), "...");
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
