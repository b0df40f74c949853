using Raven.Api;
using Raven.Api.Meta;
using Raven.Api.V1Beta1;

namespace Raven.Controller.Election;

/// <summary>
/// status.conditions: Ready, TunnelElected and ProxyElected about election; NodesValid and AddressesUnique about the
/// member nodes' inputs. Each with reasons an operator can act on.
/// </summary>
public static class GatewayConditions
{
    public const string TunnelElected = "TunnelElected";
    public const string ProxyElected = "ProxyElected";
    public const string Ready = "Ready";
    public const string NodesValid = "NodesValid";
    public const string AddressesUnique = "AddressesUnique";
    public const string TunnelDriversMatch = "TunnelDriversMatch";

    /// <summary>Joins the items of a False NodesValid / AddressesUnique message; items never contain it.</summary>
    public const string ItemSeparator = "; ";

    public static List<Condition> Compute(Gateway gateway, IReadOnlyList<Endpoint> actives, FeatureSwitches switches, DateTimeOffset now)
    {
        var tunnel = ForType(gateway, WellKnown.EndpointTypeTunnel, gateway.Spec.TunnelConfig.Replicas, actives, switches);
        var proxy = ForType(gateway, WellKnown.EndpointTypeProxy, gateway.Spec.ProxyConfig.Replicas, actives, switches);
        var failing = new[] { tunnel, proxy }.Where(c => c.Status == "False").ToList();
        var ready = failing.Count == 0
            ? Make(Ready, true, "Elected", "every enabled endpoint type has its active endpoints")
            : Make(Ready, false, failing[0].Reason, string.Join("; ", failing.Select(c => c.Message)));
        return [.. new[] { ready, tunnel, proxy }.Select(c => KeepTransitionTime(c, gateway, now))];
    }

    /// <summary>
    /// NodesValid (False while a member node has an unusable field) and AddressesUnique (False while member
    /// addresses overlap another gateway's); a False message lists every item, joined by <see cref="ItemSeparator"/>.
    /// </summary>
    public static List<Condition> ComputeInputs(Gateway gateway, IReadOnlyList<string> invalidFields, IReadOnlyList<string> overlaps, DateTimeOffset now)
    {
        var nodes = invalidFields.Count == 0
            ? Make(NodesValid, true, "Valid", "every member node has an InternalIP and valid pod CIDRs")
            : Make(NodesValid, false, "InvalidNodeFields", string.Join(ItemSeparator, invalidFields));
        var addresses = overlaps.Count == 0
            ? Make(AddressesUnique, true, "Unique", "no member node IP or pod CIDR overlaps another gateway's")
            : Make(AddressesUnique, false, "AddressOverlap", string.Join(ItemSeparator, overlaps));
        return [KeepTransitionTime(nodes, gateway, now), KeepTransitionTime(addresses, gateway, now)];
    }

    /// <summary>
    /// TunnelDriversMatch: False while another gateway's active tunnel endpoint runs a different VPN driver than this
    /// one's (agents skip such peers); the message lists every such gateway with both drivers.
    /// </summary>
    public static Condition ComputeDrivers(Gateway gateway, string? driver, IReadOnlyList<string> mismatches, DateTimeOffset now)
    {
        var condition = mismatches.Count > 0 ? Make(TunnelDriversMatch, false, "MixedDrivers", string.Join(ItemSeparator, mismatches))
            : driver is null ? Make(TunnelDriversMatch, true, "Unknown", "the active tunnel endpoint has not published its VPN driver yet")
            : Make(TunnelDriversMatch, true, "Match", $"every gateway that published its VPN driver runs {driver}");
        return KeepTransitionTime(condition, gateway, now);
    }

    /// <summary>The items the stored condition listed (none when it is True or absent).</summary>
    public static IReadOnlySet<string> PreviousItems(Gateway gateway, string type)
    {
        var previous = gateway.Status.Conditions?.FirstOrDefault(c => c.Type == type);
        return previous is { Status: "False", Message: { Length: > 0 } message }
            ? message.Split(ItemSeparator).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
    }

    private static Condition ForType(Gateway gateway, string type, int replicas, IReadOnlyList<Endpoint> actives, FeatureSwitches switches)
    {
        var name = type == WellKnown.EndpointTypeTunnel ? TunnelElected : ProxyElected;
        var elected = actives.Count(e => e.Type == type);
        if (!switches.Enabled(type))
        {
            return Make(name, true, "Disabled", $"{type} endpoints are disabled in {WellKnown.WorkingNamespace}/{WellKnown.RavenGlobalConfig}");
        }

        if (replicas <= 0)
        {
            return Make(name, true, "NotRequested", $"{type} replicas is 0");
        }

        if (elected == 0)
        {
            return Make(name, false, "NoEligibleEndpoint",
                $"none of the {type} endpoints is on a Ready member node with a live agent (label nodes with {WellKnown.GatewayLabel}={gateway.Name})");
        }

        return elected < replicas
            ? Make(name, true, "PartiallyElected", $"{elected} of {replicas} {type} endpoint(s) elected")
            : Make(name, true, "Elected", $"{string.Join(", ", actives.Where(e => e.Type == type).Select(e => e.NodeName))} elected");
    }

    private static Condition Make(string type, bool ok, string reason, string message) =>
        new() { Type = type, Status = ok ? "True" : "False", Reason = reason, Message = message };

    private static Condition KeepTransitionTime(Condition condition, Gateway gateway, DateTimeOffset now)
    {
        var previous = gateway.Status.Conditions?.FirstOrDefault(c => c.Type == condition.Type);
        condition.LastTransitionTime = previous is not null && previous.Status == condition.Status ? previous.LastTransitionTime : now;
        condition.ObservedGeneration = gateway.Metadata.Generation;
        return condition;
    }
}
