namespace Raven.Agent.Proxy.Cluster;

/// <summary>One certificate as `raven lab status` shows it.</summary>
public sealed record ProxyCertificateStatus(string Name, bool Ready, DateTime? NotAfter, string? LastError);

/// <summary>A snapshot of the L7 proxy on this node.</summary>
/// <param name="Role">"none", "client", "server" or "client+server" as decided; a role waits for its certificates.</param>
/// <param name="ServersConnected">Proxy servers this node's tunnel client is connected to, "host:port".</param>
/// <param name="ClientsConnected">Node names of proxy clients connected to this node's tunnel server.</param>
public sealed record ProxyHostStatus(
    string Role,
    string Reason,
    string? LocalGateway,
    bool ClientRunning,
    bool ServerRunning,
    IReadOnlyList<string> ServerTargets,
    IReadOnlyList<string> ServersConnected,
    IReadOnlyList<string> ClientsConnected,
    string? TunnelEndPoint,
    string? SecureEndPoint,
    string? InsecureEndPoint,
    IReadOnlyList<ProxyCertificateStatus> Certificates,
    string? LastError);
