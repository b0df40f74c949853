namespace Raven.Api;

/// <summary>Names that are part of the compatibility contract with OpenYurt Raven. Never change a value.</summary>
public static class WellKnown
{
    public const string Group = "raven.openyurt.io";
    public const string V1Beta1 = "v1beta1";
    public const string V1Alpha1 = "v1alpha1";
    public const string ApiVersionV1Beta1 = Group + "/" + V1Beta1;
    public const string ApiVersionV1Alpha1 = Group + "/" + V1Alpha1;
    public const string GatewayKind = "Gateway";
    public const string GatewayListKind = "GatewayList";
    public const string GatewayPlural = "gateways";
    public const string GatewayShortName = "gw";

    public const string GatewayLabel = "raven.openyurt.io/gateway";
    public const string GatewayTypeLabel = "raven.openyurt.io/gateway-type";
    public const string EndpointsNameLabel = "raven.openyurt.io/endpoints-name";
    public const string ExtraAllowedSourceCidrsAnnotation = "raven.openyurt.io/extra-allowed-source-cidrs";

    /// <summary>Ours: holds what a v1alpha1 object cannot express, so v1beta1 → v1alpha1 → v1beta1 loses nothing.</summary>
    public const string ConversionDataAnnotation = "raven.openyurt.io/v1beta1-conversion-data";

    public const string EndpointTypeProxy = "proxy";
    public const string EndpointTypeTunnel = "tunnel";
    public const string ExposeTypePublicIP = "PublicIP";
    public const string ExposeTypeLoadBalancer = "LoadBalancer";

    public const int ProxyServerExposedPort = 10262;
    public const int ProxyServerSecurePort = 10263;
    public const int ProxyServerInsecurePort = 10264;
    public const int TunnelServerExposedPort = 4500;

    /// <summary>The exposed gateway's STUN responder (NAT discovery): binding requests and the mapping test.</summary>
    public const int StunPrimaryPort = 3478;
    public const int StunAlternatePort = 3479;

    public const string WorkingNamespace = "kube-system";
    public const string RavenGlobalConfig = "raven-cfg";
    public const string RavenAgentConfig = "raven-agent-config";
    public const string EnableL7ProxyKey = "enable-l7-proxy";
    public const string EnableL3TunnelKey = "enable-l3-tunnel";

    /// <summary>
    /// Tunnel endpoint config key where each agent publishes the VPN driver (tunnel backend) it runs, so that the
    /// controller can report mixed drivers and agents can skip peers they cannot talk to.
    /// </summary>
    public const string VpnDriverConfigKey = "vpn-driver";

    public const string EventActiveEndpointElected = "ActiveEndpointElected";
    public const string EventActiveEndpointLost = "ActiveEndpointLost";
}
