namespace Raven.Agent.Proxy.FrontEnd;

/// <summary>
/// One request the proxy server answered, for metrics: how it was routed (<see cref="Routes"/>), the status code the
/// caller got (0 when the connection was aborted after the response had started) and how long it took to the end of
/// the response. Upgraded requests (exec, attach, port-forward) end when the stream does.
/// </summary>
public sealed record ProxyRequestTiming(string Route, int StatusCode, TimeSpan Took);

/// <summary>The values of <see cref="ProxyRequestTiming.Route"/>: a small fixed set, so metric labels stay bounded.</summary>
public static class Routes
{
    /// <summary>The target node is in the proxy server's own domain.</summary>
    public const string Direct = "direct";

    /// <summary>Forwarded through an edge domain's reverse tunnel.</summary>
    public const string Tunnel = "tunnel";

    /// <summary>Answered by the proxy itself (refused source, malformed target, unknown node or pod).</summary>
    public const string Refused = "refused";
}
