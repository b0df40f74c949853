using System.Text.Json.Nodes;
using Raven.Api;
using Raven.Api.Json;
using Raven.Api.V1Beta1;

namespace Raven.Controller.Config;

/// <summary>One Gateway's share of raven-cfg: the server-side apply body to send, or null to delete the Gateway.</summary>
public sealed record GatewayConfigAction(string Gateway, JsonObject? Apply);

/// <summary>
/// Pure: raven-cfg and the live Gateways → the apply configuration of every Gateway (only the fields raven-cfg
/// decides, so everything else stays with whoever set it) and the Gateways to delete.
/// </summary>
public static class GatewayConfigPlanner
{
    /// <summary>Marks a Gateway the controller created from a gateway-nodes line: it goes when its line goes.</summary>
    public const string CreatedByAnnotation = "raven.openyurt.io/created-by";
    public const string CreatedByValue = "raven-cfg";

    public static IReadOnlyList<GatewayConfigAction> Plan(RavenConfig config, IReadOnlyList<Gateway> live)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(live);
        var byName = live.ToDictionary(g => g.Name, StringComparer.Ordinal);
        var actions = new List<GatewayConfigAction>();
        foreach (var name in byName.Keys.Union(config.GatewayNodes.Keys).Order(StringComparer.Ordinal))
        {
            var current = byName.GetValueOrDefault(name);
            var createdByUs = current is null || current.Metadata.Annotation(CreatedByAnnotation) == CreatedByValue;
            if (current is not null && createdByUs && !config.GatewayNodes.ContainsKey(name))
            {
                actions.Add(new(name, null));
                continue;
            }

            actions.Add(new(name, Body(name, config, current, createdByUs)));
        }

        return actions;
    }

    private static JsonObject Body(string name, RavenConfig config, Gateway? current, bool createdByUs)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (createdByUs)
        {
            metadata["annotations"] = new JsonObject { [CreatedByAnnotation] = CreatedByValue };
        }

        var spec = new JsonObject();
        var exposeType = config.ExposedGateways.GetValueOrDefault(name);
        if (exposeType is not null)
        {
            spec["exposeType"] = exposeType;
        }

        var endpoints = current?.Spec.Endpoints ?? [];
        if (config.GatewayNodes.TryGetValue(name, out var nodes))
        {
            var exposed = (exposeType ?? current?.Spec.ExposeType) is WellKnown.ExposeTypePublicIP or WellKnown.ExposeTypeLoadBalancer;
            endpoints = nodes.SelectMany(node => new[] { WellKnown.EndpointTypeTunnel, WellKnown.EndpointTypeProxy }
                .Select(type => Endpoint(node, type, exposed, current))).ToList();
            spec["endpoints"] = new JsonArray(endpoints.Select(e => JsonNode.Parse(RavenJson.Serialize(e))).ToArray());
        }

        var proxy = new JsonObject();
        var tunnel = new JsonObject();
        if (config.GatewayReplicas is { } replicas)
        {
            // The webhook refuses proxy replicas above 1 that exceed the proxy endpoints, and tunnel replicas above 1.
            var proxyEndpoints = endpoints.Count(e => e.Type == WellKnown.EndpointTypeProxy);
            proxy["Replicas"] = replicas <= 1 ? replicas : Math.Max(1, Math.Min(replicas, proxyEndpoints));
            // A Gateway without a tunnel endpoint (an L7-only domain) has no tunnel to elect: asking for one would
            // leave it never Ready.
            var tunnelEndpoints = endpoints.Count(e => e.Type == WellKnown.EndpointTypeTunnel);
            tunnel["Replicas"] = tunnelEndpoints == 0 ? 0 : Math.Min(replicas, 1);
        }

        if (config.ProxyHttpPorts is { Count: > 0 } http)
        {
            proxy["proxyHTTPPort"] = string.Join(",", http);
        }

        if (config.ProxyHttpsPorts is { Count: > 0 } https)
        {
            proxy["proxyHTTPSPort"] = string.Join(",", https);
        }

        if (proxy.Count > 0)
        {
            spec["proxyConfig"] = proxy;
        }

        if (tunnel.Count > 0)
        {
            spec["tunnelConfig"] = tunnel;
        }

        var body = new JsonObject
        {
            ["apiVersion"] = WellKnown.ApiVersionV1Beta1,
            ["kind"] = WellKnown.GatewayKind,
            ["metadata"] = metadata,
        };
        if (spec.Count > 0)
        {
            body["spec"] = spec;
        }

        return body;
    }

    /// <summary>The endpoint raven-cfg asks for, keeping what the agent found out about it (public IP, NAT, keys).</summary>
    private static Endpoint Endpoint(string node, string type, bool exposed, Gateway? current)
    {
        var endpoint = current?.Spec.Endpoints?.FirstOrDefault(e => e.NodeName == node && e.Type == type)?.Clone()
                       ?? new Endpoint { NodeName = node, Type = type };
        endpoint.UnderNAT = !exposed;
        if (endpoint.Port == 0)
        {
            endpoint.Port = type == WellKnown.EndpointTypeTunnel ? WellKnown.TunnelServerExposedPort : WellKnown.ProxyServerExposedPort;
        }

        return endpoint;
    }
}
