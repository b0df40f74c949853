namespace Raven.Cli.Status;

/// <summary>
/// What `raven status` shows (and `raven graph` draws): problems first, then one entry per Gateway (network domain),
/// then the nodes that are in no domain. Plain data, serialized as it stands for -o json|yaml.
/// </summary>
public sealed record StatusReport(
    DateTimeOffset GeneratedAt,
    bool TunnelEnabled,
    bool ProxyEnabled,
    IReadOnlyList<StatusProblem> Problems,
    IReadOnlyList<GatewayReport> Gateways,
    IReadOnlyList<NodeReport> NodesWithoutGateway)
{
    /// <summary>The domain-to-domain path matrix from the serving endpoints' connection reports, problem rows first (<see cref="TunnelMatrix"/>).</summary>
    public IReadOnlyList<TunnelPairReport> Tunnels { get; init; } = [];
}

/// <summary>How one domain's serving endpoint reaches another domain, as its connection report says.</summary>
/// <param name="Path"><c>direct</c> or <c>relay:&lt;gateway&gt;</c>; "-" when the report has none.</param>
/// <param name="Via">The remote node the traffic is sent to.</param>
/// <param name="State">The connection to <paramref name="Via"/>: connecting, up, down; "-" when not reported.</param>
/// <param name="HandshakeAgeSeconds">Since the last key exchange (WireGuard handshake, IPsec IKE SA start).</param>
/// <param name="ReadyStandbys">The remote domain's standby endpoints the source has a live connection to.</param>
/// <param name="ReportAgeSeconds">How old the numbers are (the report's sampledAt).</param>
/// <param name="Problem">Null when healthy.</param>
public sealed record TunnelPairReport(
    string From,
    string FromNode,
    string To,
    string Path,
    string Via,
    double? RttMs,
    double? Loss,
    string State,
    double? HandshakeAgeSeconds,
    IReadOnlyList<string> ReadyStandbys,
    double ReportAgeSeconds,
    string? Problem);

/// <summary>Severity "error" (something does not work) or "warning" (works, but not as configured or not for long).</summary>
/// <param name="Subject">What it is about: "gateway gw-x", "node hz-1", "kube-system/raven-cfg".</param>
public sealed record StatusProblem(string Severity, string Subject, string Message)
{
    public const string Error = "error";
    public const string Warning = "warning";

    public override string ToString() => $"{Subject}: {Message}";
}

/// <param name="ExposeType">"" when the domain is not exposed (upstream's empty value).</param>
/// <param name="ServingTunnel">The tunnel endpoint listed first in status.activeEndpoints: the one the domain's traffic uses.</param>
public sealed record GatewayReport(
    string Name,
    string ExposeType,
    int TunnelReplicas,
    int ProxyReplicas,
    string? ServingTunnel,
    IReadOnlyList<TunnelEndpointReport> TunnelEndpoints,
    IReadOnlyList<ProxyEndpointReport> ProxyEndpoints,
    IReadOnlyList<NodeReport> Nodes);

/// <summary>A spec tunnel endpoint and what it is now.</summary>
/// <param name="Role"><see cref="EndpointRoles"/>: serving, standby, candidate.</param>
/// <param name="Claim">The node's own claim on its current agent Lease ("serving at epoch 2", "standby (epoch 1)"); null: none.</param>
/// <param name="SentThroughBy">How many of the domain's reporting agents send the domain's traffic through this endpoint.</param>
/// <param name="Reporters">How many of the domain's agents report a choice at all.</param>
public sealed record TunnelEndpointReport(
    string NodeName,
    string Role,
    string? PublicIP,
    int PublicPort,
    bool UnderNAT,
    string? Claim,
    int SentThroughBy,
    int Reporters);

/// <param name="Role">active (in status.activeEndpoints) or candidate.</param>
public sealed record ProxyEndpointReport(string NodeName, string Role, string? PublicIP);

/// <param name="InternalIP">"" when the node has no usable InternalIP.</param>
/// <param name="AgentLeaseAgeSeconds">Seconds since the agent last renewed its Lease; null without a lease.</param>
/// <param name="AgentAlive">The agent's Lease is current; null: the node never had an agent lease.</param>
/// <param name="SendsVia">The tunnel endpoint this node's agent sends its own domain's traffic through (its report), if any.</param>
public sealed record NodeReport(
    string Name,
    bool Ready,
    string InternalIP,
    double? AgentLeaseAgeSeconds,
    bool? AgentAlive,
    string? SendsVia);

/// <summary>The role words of the report, shared by the table, the graph and the tests.</summary>
public static class EndpointRoles
{
    /// <summary>First tunnel endpoint in status.activeEndpoints: carries the domain's traffic.</summary>
    public const string Serving = "serving";

    /// <summary>Elected but not first: hot standby, tunnels up, takes over on failure.</summary>
    public const string Standby = "standby";

    /// <summary>Listed in spec.endpoints, not elected.</summary>
    public const string Candidate = "candidate";

    /// <summary>An elected proxy endpoint.</summary>
    public const string Active = "active";
}
