namespace Raven.Controller.Config;

/// <summary>
/// What kube-system/raven-cfg says about Gateways (the L7 proposal's "Config Controller" keys). Null or empty
/// members were not given: the controller leaves those fields to whoever else sets them.
/// </summary>
public sealed record RavenConfig
{
    public const string GatewayReplicasKey = "gateway-replicas";
    public const string ProxyPortKey = "l7-proxy-port";
    public const string ExposedGatewayKey = "exposed-gateway";
    public const string GatewayNodesKey = "gateway-nodes";

    /// <summary>gateway-replicas: proxy endpoints elected per Gateway (tunnel endpoints stay at most 1).</summary>
    public int? GatewayReplicas { get; init; }

    /// <summary>l7-proxy-port "http=..." lines, in order, duplicates removed; null when not given.</summary>
    public IReadOnlyList<int>? ProxyHttpPorts { get; init; }

    /// <summary>l7-proxy-port "https=..." lines.</summary>
    public IReadOnlyList<int>? ProxyHttpsPorts { get; init; }

    /// <summary>exposed-gateway: Gateway name → PublicIP or LoadBalancer.</summary>
    public IReadOnlyDictionary<string, string> ExposedGateways { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>gateway-nodes: Gateway name → its gateway nodes, in the order written.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> GatewayNodes { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>Every problem found; <see cref="IsUsable"/> is false when one of them is an error.</summary>
    public IReadOnlyList<RavenConfigProblem> Problems { get; init; } = [];

    /// <summary>False when a known key is malformed: then no Gateway is changed, so none is half-configured.</summary>
    public bool IsUsable => Problems.All(p => !p.IsError);

    /// <summary>True when the ConfigMap configures Gateways at all (beyond the two switches).</summary>
    public bool ConfiguresGateways => GatewayReplicas is not null || ProxyHttpPorts is not null || ProxyHttpsPorts is not null ||
                                      ExposedGateways.Count > 0 || GatewayNodes.Count > 0;
}

/// <summary>One finding in raven-cfg; <see cref="IsError"/> problems stop the Gateway configuration, warnings do not.</summary>
public sealed record RavenConfigProblem(string Key, bool IsError, string Message)
{
    public override string ToString() => Message;
}
