using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Forwarder;

namespace Raven.Agent.Proxy.FrontEnd;

/// <summary>
/// The header policy of one forwarded request, on top of YARP's copy (which already drops the fixed hop-by-hop set:
/// Connection, Keep-Alive, Proxy-*, TE, Transfer-Encoding, Upgrade, ...). Adds no X-Forwarded-* or Forwarded header:
/// upstream's interceptor forwards the request as it came, and kubelets authorise the proxy by its certificate.
/// </summary>
internal sealed class RouteTransformer(ProxyRoute route, string pathAndQuery) : HttpTransformer
{
    public static readonly HttpRequestOptionsKey<ProxyRoute> RouteKey = new("raven.proxy.route");

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        var inbound = httpContext.Request.Headers;
        foreach (var name in ConnectionTokens(inbound.Connection))
        {
            // RFC 9110 §7.6.1: what the Connection header names belongs to this hop only. (YARP re-adds
            // Connection: Upgrade and Upgrade itself after this transform for the upgrades it handles.)
            proxyRequest.Headers.Remove(name);
            proxyRequest.Content?.Headers.Remove(name);
        }

        proxyRequest.Headers.Remove(ProxyRequestParser.TunnelProxyHostHeader);
        proxyRequest.Headers.Remove(ProxyRequestParser.TunnelProxyDestHeader);
        // As upstream: the target sees its own address, as if called directly.
        proxyRequest.Headers.Host = route.Target.ToString();
        // The parser's path and query: ?nodeName= is removed from it.
        proxyRequest.RequestUri = new Uri(destinationPrefix + pathAndQuery);
        proxyRequest.Options.Set(RouteKey, route);

        if (httpContext.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true && !YarpForwardsUpgrade(inbound.Upgrade))
        {
            // YARP passes only websocket and SPDY/* upgrades on by itself; ask the target for any other protocol the
            // same way, and YARP splices the connections when it answers 101.
            proxyRequest.Headers.TryAddWithoutValidation("Connection", "Upgrade");
            proxyRequest.Headers.TryAddWithoutValidation("Upgrade", (IEnumerable<string>)inbound.Upgrade!);
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        var copy = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        if (proxyResponse is not null)
        {
            foreach (var name in proxyResponse.Headers.Connection)
            {
                httpContext.Response.Headers.Remove(name);
            }
        }

        return copy;
    }

    /// <summary>The upgrades YARP's HttpForwarder recognises on an HTTP/1.1 request (see its CreateRequestMessageAsync).</summary>
    private static bool YarpForwardsUpgrade(StringValues upgrade)
    {
        var value = upgrade.ToString();
        return value.StartsWith("SPDY/", StringComparison.OrdinalIgnoreCase)
            || value.Equals("websocket", StringComparison.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> ConnectionTokens(StringValues connection) =>
        connection.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
