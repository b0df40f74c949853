using Raven.Api.V1Beta1;

namespace Raven.Api.Validation;

/// <summary>
/// Admission rules for Gateways: OpenYurt's eight, plus ours, which reject only what cannot work (a port outside
/// 1–65535, an unparsable address or CIDR) and warn about the rest, so every Gateway OpenYurt accepts is accepted.
/// docs/gateway-api.md lists each difference. Runs on the defaulted v1beta1 form;
/// <paramref name="sourceVersion"/> says which version the user wrote, because a v1alpha1 manifest
/// cannot express types, ports or replicas and must not be blamed for what conversion filled in.
/// </summary>
public static class GatewayValidator
{
    public static ValidationResult ValidateCreate(Gateway gateway, string sourceVersion = WellKnown.V1Beta1) =>
        new(Check(gateway, sourceVersion));

    public static ValidationResult ValidateUpdate(Gateway updated, Gateway existing, string sourceVersion = WellKnown.V1Beta1)
    {
        var problems = Check(updated, sourceVersion).ToList();
        if (!string.Equals(updated.Name, existing.Name, StringComparison.Ordinal))
        {
            problems.Add(FieldError.Forbidden("metadata.name", $"a Gateway cannot be renamed (was \"{existing.Name}\")"));
        }

        return new ValidationResult(problems);
    }

    private static IEnumerable<FieldError> Check(Gateway gateway, string sourceVersion)
    {
        var alpha = sourceVersion == WellKnown.V1Alpha1;
        return CheckName(gateway)
            .Concat(CheckAnnotations(gateway))
            .Concat(CheckExposeType(gateway.Spec))
            .Concat(alpha ? [] : CheckReplicas(gateway.Spec))
            .Concat(alpha ? [] : ProxyPortRules.Check(gateway.Spec.ProxyConfig))
            .Concat(EndpointRules.Check(gateway, alpha));
    }

    private static IEnumerable<FieldError> CheckName(Gateway gateway)
    {
        var name = gateway.Metadata.Name ?? "";
        if (name.Length == 0)
        {
            yield return FieldError.Required("metadata.name", "a Gateway needs a name");
            yield break;
        }

        if (Dns1123.SubdomainProblem(name) is { } problem)
        {
            yield return FieldError.Invalid("metadata.name", name, problem);
        }
    }

    private static IEnumerable<FieldError> CheckAnnotations(Gateway gateway)
    {
        var cidrs = gateway.Metadata.Annotation(WellKnown.ExtraAllowedSourceCidrsAnnotation);
        if (cidrs is null)
        {
            yield break;
        }

        var path = $"metadata.annotations[{WellKnown.ExtraAllowedSourceCidrsAnnotation}]";
        foreach (var entry in cidrs.Split(',').Select(e => e.Trim()))
        {
            if (!IpText.IsCidr(entry))
            {
                yield return FieldError.Invalid(path, entry, "each comma-separated entry must be a CIDR such as 10.10.0.0/16");
            }
        }
    }

    private static IEnumerable<FieldError> CheckExposeType(GatewaySpec spec)
    {
        var exposeType = spec.ExposeType ?? "";
        if (exposeType is not ("" or WellKnown.ExposeTypePublicIP or WellKnown.ExposeTypeLoadBalancer))
        {
            yield return FieldError.NotSupported("spec.exposeType", exposeType,
                $"supported values: \"\" (not exposed), \"{WellKnown.ExposeTypePublicIP}\", \"{WellKnown.ExposeTypeLoadBalancer}\"");
        }
    }

    /// <summary>
    /// OpenYurt rejects more than one tunnel; here tunnel Replicas &gt; 1 elects hot standbys (our extension) and, as
    /// for proxies, may not exceed the tunnel endpoints listed. OpenYurt rejects more proxy replicas than proxy endpoints only when it asks for more
    /// than one. What it accepts and still elects something sensible (negative counts, one proxy without a proxy
    /// endpoint) is a warning here.
    /// </summary>
    private static IEnumerable<FieldError> CheckReplicas(GatewaySpec spec)
    {
        const string tunnelPath = "spec.tunnelConfig.Replicas";
        const string proxyPath = "spec.proxyConfig.Replicas";
        var tunnel = spec.TunnelConfig.Replicas;
        var tunnelEndpoints = spec.Endpoints?.Where(e => e.Type == WellKnown.EndpointTypeTunnel).Select(e => e.NodeName).Distinct().Count() ?? 0;
        if (tunnel < 0)
        {
            yield return FieldError.Invalid(tunnelPath, Text(tunnel), "negative, so it counts as 0: no tunnel endpoint is elected").AsWarning();
        }
        else if (tunnel > 1 && tunnel > tunnelEndpoints)
        {
            // Replicas > 1 (hot standbys) is Raven for .NET's extension; upstream's webhook refuses it.
            yield return FieldError.Invalid(tunnelPath, Text(tunnel), tunnelEndpoints == 0
                ? "no endpoint of type tunnel is listed, so no standby can be elected"
                : $"only {tunnelEndpoints} endpoint(s) of type tunnel are listed, fewer than the replicas asked for");
        }

        var proxy = spec.ProxyConfig.Replicas;
        var proxyEndpoints = spec.Endpoints?.Count(e => e.Type == WellKnown.EndpointTypeProxy) ?? 0;
        if (proxy < 0)
        {
            yield return FieldError.Invalid(proxyPath, Text(proxy), "negative, so it counts as 0: no proxy endpoint is elected").AsWarning();
        }
        else if (proxy > proxyEndpoints)
        {
            var problem = FieldError.Invalid(proxyPath, Text(proxy), proxyEndpoints == 0
                ? "no endpoint of type proxy is listed, so no proxy endpoint is elected"
                : $"only {proxyEndpoints} endpoint(s) of type proxy are listed, fewer than the replicas asked for");
            yield return proxy > 1 ? problem : problem.AsWarning();
        }
    }

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
