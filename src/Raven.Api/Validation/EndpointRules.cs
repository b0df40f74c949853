using System.Globalization;
using Raven.Api.V1Beta1;

namespace Raven.Api.Validation;

/// <summary>Rules for spec.endpoints[]: each endpoint alone, then the list as a whole.</summary>
internal static class EndpointRules
{
    public static IEnumerable<FieldError> Check(Gateway gateway, bool writtenAsV1Alpha1)
    {
        var endpoints = gateway.Spec.Endpoints ?? [];
        var exposed = gateway.Spec.ExposeType is WellKnown.ExposeTypePublicIP or WellKnown.ExposeTypeLoadBalancer;
        var seen = new Dictionary<(string Node, string Type), int>();
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[i];
            var path = $"spec.endpoints[{i}]";
            foreach (var error in CheckOne(endpoint, path, writtenAsV1Alpha1))
            {
                yield return error;
            }

            if (exposed && endpoint.UnderNAT)
            {
                yield return FieldError.Invalid($"{path}.underNAT", "true",
                    $"gateway {gateway.Name} is exposed (exposeType {gateway.Spec.ExposeType}), so its endpoints cannot be under NAT");
            }

            if (i > 0 && endpoint.UnderNAT != endpoints[0].UnderNAT)
            {
                yield return FieldError.Invalid($"{path}.underNAT", Bool(endpoint.UnderNAT),
                    $"all endpoints of a gateway must agree on underNAT (spec.endpoints[0].underNAT is {Bool(endpoints[0].UnderNAT)})");
            }

            // OpenYurt accepts a repeated endpoint; the election counts a node once per type, so it only warns.
            var key = (endpoint.NodeName, endpoint.Type);
            if (endpoint.NodeName.Length > 0 && !seen.TryAdd(key, i))
            {
                yield return FieldError.Duplicate(path, $"{endpoint.NodeName}/{endpoint.Type}",
                    writtenAsV1Alpha1
                        ? $"node {endpoint.NodeName} is listed again (first at spec.endpoints[{seen[key]}]); v1alpha1 endpoints have no type, so both become the same tunnel endpoint"
                        : $"node {endpoint.NodeName} already has a {endpoint.Type} endpoint at spec.endpoints[{seen[key]}]; the two count as one").AsWarning();
            }
        }
    }

    private static IEnumerable<FieldError> CheckOne(Endpoint endpoint, string path, bool writtenAsV1Alpha1)
    {
        if (string.IsNullOrEmpty(endpoint.NodeName))
        {
            yield return FieldError.Required($"{path}.nodeName", "each endpoint must name the node that hosts it");
        }

        if (!writtenAsV1Alpha1 && endpoint.Type is not (WellKnown.EndpointTypeTunnel or WellKnown.EndpointTypeProxy))
        {
            yield return FieldError.NotSupported($"{path}.type", endpoint.Type, "supported values: \"tunnel\", \"proxy\"");
        }

        // 0 means "default": defaulting fills it for known types, and an unknown type is reported above.
        if (!writtenAsV1Alpha1 && endpoint.Port is < 0 or > 65535)
        {
            yield return FieldError.Invalid($"{path}.port", endpoint.Port.ToString(CultureInfo.InvariantCulture), "must be a port number between 1 and 65535");
        }

        if (endpoint.PublicPort is < 0 or > 65535)
        {
            yield return FieldError.Invalid($"{path}.publicPort", endpoint.PublicPort.ToString(CultureInfo.InvariantCulture), "must be a port number between 1 and 65535, or 0 when unknown");
        }

        var publicIp = endpoint.PublicIP ?? "";
        if (publicIp.Length > 0 && !IpText.IsIp(publicIp))
        {
            yield return IpText.IsRedactedIpv4(publicIp)
                ? FieldError.Invalid($"{path}.publicIP", publicIp,
                    "looks like a redacted placeholder, not an address; it is ignored until you set the real public IP or remove it so the agent discovers it").AsWarning()
                : FieldError.Invalid($"{path}.publicIP", publicIp, "must be an IPv4 or IPv6 address");
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
