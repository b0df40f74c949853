namespace Raven.Agent.Proxy.FrontEnd;

/// <summary>Headers that describe one HTTP hop and so are never forwarded (RFC 9110 §7.6.1), plus the proxy's own
/// routing headers.</summary>
public static class HopByHopHeaders
{
    private static readonly HashSet<string> Names = new(
        ["Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
            "Transfer-Encoding", "Upgrade", "Host",
            ProxyRequestParser.TunnelProxyHostHeader, ProxyRequestParser.TunnelProxyDestHeader],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>True for headers that must not cross the proxy, including any named by the Connection header.</summary>
    public static bool IsHopByHop(string name, IEnumerable<string> connectionTokens) =>
        Names.Contains(name) || connectionTokens.Contains(name, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<string> ConnectionTokens(IEnumerable<string> connectionValues) =>
        connectionValues.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
