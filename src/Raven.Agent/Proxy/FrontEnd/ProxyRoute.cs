using System.Net;

namespace Raven.Agent.Proxy.FrontEnd;

/// <summary>How to reach a target: directly from this server (the node is in its own domain) or through the tunnel
/// of one of <see cref="ProxyClients"/> (tried in order).</summary>
/// <param name="NodeName">The target node (with the rest of the route, the upstream connection-pool key).</param>
/// <param name="Target">&lt;node InternalIP&gt;:&lt;port&gt;, dialed inside the node's domain.</param>
public sealed record ProxyRoute(string NodeName, IPEndPoint Target, bool Direct, IReadOnlyList<string> ProxyClients, string? GatewayName);
