using Raven.Api.V1Beta1;

namespace Raven.Api.Validation;

/// <summary>
/// Admission rules for Gateways: OpenYurt's eight, plus ours. Runs on the defaulted v1beta1 form;
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

    private static IEnumerable<FieldError> CheckReplicas(GatewaySpec spec)
    {
        var tunnel = spec.TunnelConfig.Replicas;
        if (tunnel < 0)
        {
            yield return FieldError.Invalid("spec.tunnelConfig.Replicas", tunnel.ToString(System.Globalization.CultureInfo.InvariantCulture), "must not be negative");
        }
        else if (tunnel > 1)
        {
            yield return FieldError.Invalid("spec.tunnelConfig.Replicas", tunnel.ToString(System.Globalization.CultureInfo.InvariantCulture), "at most 1 tunnel endpoint can be active per gateway");
        }

        var proxy = spec.ProxyConfig.Replicas;
        var proxyEndpoints = spec.Endpoints?.Count(e => e.Type == WellKnown.EndpointTypeProxy) ?? 0;
        if (proxy < 0)
        {
            yield return FieldError.Invalid("spec.proxyConfig.Replicas", proxy.ToString(System.Globalization.CultureInfo.InvariantCulture), "must not be negative");
        }
        else if (proxy > proxyEndpoints)
        {
            yield return FieldError.Invalid("spec.proxyConfig.Replicas", proxy.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"only {proxyEndpoints} endpoint(s) of type proxy are listed, fewer than the replicas asked for");
        }
    }
}
