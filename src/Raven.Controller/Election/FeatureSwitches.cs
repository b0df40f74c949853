using Raven.Api;

namespace Raven.Controller.Election;

/// <summary>kube-system/raven-cfg: which kinds of endpoint are elected at all.</summary>
public sealed record FeatureSwitches(bool Tunnel, bool Proxy)
{
    /// <summary>A missing ConfigMap disables both, as upstream; values compare case-insensitively to "true".</summary>
    public static FeatureSwitches FromConfigMap(IReadOnlyDictionary<string, string>? data) => new(
        IsTrue(data, WellKnown.EnableL3TunnelKey),
        IsTrue(data, WellKnown.EnableL7ProxyKey));

    public bool Enabled(string endpointType) => endpointType switch
    {
        WellKnown.EndpointTypeTunnel => Tunnel,
        WellKnown.EndpointTypeProxy => Proxy,
        _ => false,
    };

    private static bool IsTrue(IReadOnlyDictionary<string, string>? data, string key) =>
        data is not null && data.TryGetValue(key, out var value) && string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
