using System.Text.Json.Serialization;
using Raven.Api.Json;
using Alpha = Raven.Api.V1Alpha1;
using Beta = Raven.Api.V1Beta1;

namespace Raven.Api.Conversion;

/// <summary>
/// v1alpha1 ↔ v1beta1 with OpenYurt's mapping (every v1alpha1 endpoint is a tunnel on 4500, replicas 1/1,
/// activeEndpoint ↔ activeEndpoints[0]), made lossless: what v1alpha1 cannot hold travels in an annotation
/// and is restored when the object comes back, as long as the v1alpha1 side still agrees with it.
/// </summary>
public static class GatewayConversion
{
    public static Alpha.Gateway ToV1Alpha1(Beta.Gateway source)
    {
        var meta = source.Metadata.Clone();
        meta.Annotations?.Remove(WellKnown.ConversionDataAnnotation);
        var target = new Alpha.Gateway
        {
            Metadata = meta,
            Spec = new Alpha.GatewaySpec
            {
                NodeSelector = source.Spec.NodeSelector is null ? null : RavenJson.Deserialize<Meta.LabelSelector>(RavenJson.Serialize(source.Spec.NodeSelector)),
                Endpoints = source.Spec.Endpoints?.Select(Project).ToList(),
                ExposeType = source.Spec.ExposeType,
            },
            Status = new Alpha.GatewayStatus
            {
                Nodes = source.Status.Nodes?.Select(n => new Alpha.NodeInfo { NodeName = n.NodeName, PrivateIP = n.PrivateIP, Subnets = [.. n.Subnets] }).ToList(),
                ActiveEndpoint = source.Status.ActiveEndpoints is { Count: > 0 } actives ? Project(actives[0]) : null,
            },
        };

        // Stash only when the plain mapping would lose something on the way back.
        var stash = new Stash { Spec = source.Spec, Status = source.Status };
        if (!SameJson(Restore(Upstream(target), null), WithoutStash(source)))
        {
            target.Metadata.Annotations ??= [];
            target.Metadata.Annotations[WellKnown.ConversionDataAnnotation] = RavenJson.Serialize(stash);
        }

        return target;
    }

    public static Beta.Gateway ToV1Beta1(Alpha.Gateway source)
    {
        var stash = ReadStash(source.Metadata.Annotation(WellKnown.ConversionDataAnnotation));
        var target = Upstream(source);
        target.Metadata.Annotations?.Remove(WellKnown.ConversionDataAnnotation);
        if (target.Metadata.Annotations is { Count: 0 })
        {
            target.Metadata.Annotations = null;
        }

        return Restore(target, stash);
    }

    /// <summary>OpenYurt's v1alpha1 → v1beta1 mapping, unchanged.</summary>
    private static Beta.Gateway Upstream(Alpha.Gateway source) => new()
    {
        Metadata = source.Metadata.Clone(),
        Spec = new Beta.GatewaySpec
        {
            NodeSelector = source.Spec.NodeSelector is null ? null : RavenJson.Deserialize<Meta.LabelSelector>(RavenJson.Serialize(source.Spec.NodeSelector)),
            ProxyConfig = new Beta.ProxyConfiguration { Replicas = 1 },
            TunnelConfig = new Beta.TunnelConfiguration { Replicas = 1 },
            Endpoints = source.Spec.Endpoints?.Select(AsTunnel).ToList(),
            ExposeType = source.Spec.ExposeType,
        },
        Status = new Beta.GatewayStatus
        {
            Nodes = source.Status.Nodes?.Select(n => new Beta.NodeInfo { NodeName = n.NodeName, PrivateIP = n.PrivateIP, Subnets = [.. n.Subnets] }).ToList(),
            ActiveEndpoints = source.Status.ActiveEndpoint is { } active ? [AsTunnel(active)] : null,
        },
    };

    private static Beta.Gateway Restore(Beta.Gateway target, Stash? stash)
    {
        if (stash is null)
        {
            return target;
        }

        target.Spec.ProxyConfig = stash.Spec.ProxyConfig;
        target.Spec.TunnelConfig = stash.Spec.TunnelConfig;
        target.Spec.Endpoints = RestoreEndpoints(target.Spec.Endpoints, stash.Spec.Endpoints);
        target.Status.ObservedGeneration = stash.Status.ObservedGeneration;
        target.Status.Conditions = stash.Status.Conditions;
        if (StillAgrees(target.Status.ActiveEndpoints, stash.Status.ActiveEndpoints))
        {
            target.Status.ActiveEndpoints = stash.Status.ActiveEndpoints;
        }

        return target;
    }

    /// <summary>Each v1alpha1 endpoint takes back the first unused stashed endpoint it still matches.</summary>
    private static List<Beta.Endpoint>? RestoreEndpoints(List<Beta.Endpoint>? current, List<Beta.Endpoint>? stashed)
    {
        if (current is null || stashed is null)
        {
            return current;
        }

        var unused = stashed.ToList();
        return current.Select(endpoint =>
        {
            var match = unused.FirstOrDefault(s => SameJson(Project(s), Project(endpoint)));
            if (match is null)
            {
                return endpoint;
            }

            unused.Remove(match);
            return match;
        }).ToList();
    }

    private static bool StillAgrees(List<Beta.Endpoint>? current, List<Beta.Endpoint>? stashed)
    {
        if (stashed is not { Count: > 0 })
        {
            return current is not { Count: > 0 };
        }

        return current is { Count: 1 } && SameJson(Project(stashed[0]), Project(current[0]));
    }

    private static Alpha.Endpoint Project(Beta.Endpoint e) => new() { NodeName = e.NodeName, UnderNAT = e.UnderNAT, PublicIP = e.PublicIP, Config = e.Config is null ? null : new(e.Config) };

    private static Beta.Endpoint AsTunnel(Alpha.Endpoint e) => new()
    {
        NodeName = e.NodeName,
        UnderNAT = e.UnderNAT,
        PublicIP = e.PublicIP,
        Config = e.Config is null ? null : new(e.Config),
        Type = WellKnown.EndpointTypeTunnel,
        Port = WellKnown.TunnelServerExposedPort,
    };

    private static Beta.Gateway WithoutStash(Beta.Gateway gateway)
    {
        var copy = gateway.Clone();
        copy.Metadata.Annotations?.Remove(WellKnown.ConversionDataAnnotation);
        if (copy.Metadata.Annotations is { Count: 0 })
        {
            copy.Metadata.Annotations = null;
        }

        return copy;
    }

    private static Stash? ReadStash(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return RavenJson.Deserialize<Stash>(text);
        }
        catch (System.Text.Json.JsonException)
        {
            // A hand-edited or truncated stash must not block reading the object: fall back to the plain mapping.
            return null;
        }
    }

    private static bool SameJson<T>(T a, T b) => RavenJson.Serialize(a) == RavenJson.Serialize(b);

    private sealed class Stash
    {
        [JsonPropertyName("spec")] public Beta.GatewaySpec Spec { get; set; } = new();
        [JsonPropertyName("status")] public Beta.GatewayStatus Status { get; set; } = new();
    }
}
