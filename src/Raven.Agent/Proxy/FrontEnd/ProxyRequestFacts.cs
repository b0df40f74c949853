namespace Raven.Agent.Proxy.FrontEnd;

/// <summary>The parts of an incoming request that decide where it goes.</summary>
/// <param name="Host">The Host header (authority), e.g. "edge-node-1:10250".</param>
/// <param name="QueryString">Raw query including the leading '?', or empty.</param>
public sealed record ProxyRequestFacts(string? Host, string Path, string QueryString, string? TunnelProxyHost,
    string? TunnelProxyDest);

/// <summary>Where a request goes, before the node is looked up.</summary>
/// <param name="NodeName">The target node; null when it must come from <see cref="Pod"/>.</param>
/// <param name="Pod">Namespace and name of the pod of a kubelet API path (exec, attach, portForward, containerLogs).</param>
/// <param name="Port">The target port; null means the node's kubelet port (kubelet API paths only).</param>
/// <param name="PathAndQuery">What to send upstream: the path and the query without nodeName.</param>
public sealed record ProxyRequestTarget(string? NodeName, (string Namespace, string Name)? Pod, int? Port, string PathAndQuery);
