using System.Globalization;
using System.Net;

namespace Raven.Agent.Proxy.FrontEnd;

/// <summary>
/// Decides the target node and port of a front-end request (pure). Node: <c>?nodeName=</c> (always stripped), else
/// <c>X-Tunnel-Proxy-Host</c>, else the pod of a kubelet API path, else the Host name. Port: <c>X-Tunnel-Proxy-Dest</c>,
/// else the Host port, else (kubelet API paths) the node's kubelet port.
/// </summary>
public static class ProxyRequestParser
{
    public const string TunnelProxyHostHeader = "X-Tunnel-Proxy-Host";
    public const string TunnelProxyDestHeader = "X-Tunnel-Proxy-Dest";
    public const string NodeNameQuery = "nodeName";

    private static readonly HashSet<string> KubeletStreamingVerbs =
        new(["exec", "attach", "portForward", "containerLogs"], StringComparer.Ordinal);

    public static ProxyRequestTarget? Parse(ProxyRequestFacts facts, out ProxyFailure? failure)
    {
        ArgumentNullException.ThrowIfNull(facts);
        failure = null;
        var (query, queryNode) = StripNodeName(facts.QueryString);
        var pathAndQuery = (facts.Path.Length == 0 ? "/" : facts.Path) + query;

        int? port = null;
        if (!string.IsNullOrEmpty(facts.TunnelProxyDest))
        {
            port = SplitHostPort(facts.TunnelProxyDest).Port;
            if (port is null)
            {
                failure = new ProxyFailure(400, $"{TunnelProxyDestHeader} \"{facts.TunnelProxyDest}\" has no valid port");
                return null;
            }
        }

        var (hostName, hostPort) = SplitHostPort(facts.Host ?? "");
        port ??= hostPort;
        var pod = KubeletPod(facts.Path);

        var node = !string.IsNullOrEmpty(queryNode) ? queryNode
            : !string.IsNullOrEmpty(facts.TunnelProxyHost) ? SplitHostPort(facts.TunnelProxyHost).Host
            : null;
        if (node is null && pod is null)
        {
            if (string.IsNullOrEmpty(hostName))
            {
                failure = new ProxyFailure(400, "no target node: send ?nodeName=, X-Tunnel-Proxy-Host or a Host header naming the node");
                return null;
            }

            if (IPAddress.TryParse(hostName, out _))
            {
                failure = new ProxyFailure(400,
                    $"host \"{hostName}\" is an IP address; name the node with ?nodeName= or {TunnelProxyHostHeader}");
                return null;
            }

            node = hostName;
        }

        if (port is null && pod is null)
        {
            failure = new ProxyFailure(400, $"no target port: send {TunnelProxyDestHeader} or a Host header with a port");
            return null;
        }

        return new ProxyRequestTarget(node, node is null ? pod : null, port, pathAndQuery);
    }

    /// <summary>/exec|attach|portForward|containerLogs/&lt;namespace&gt;/&lt;pod&gt;/… → the pod.</summary>
    public static (string Namespace, string Name)? KubeletPod(string path)
    {
        var segments = (path ?? "").Split('/');
        return segments.Length >= 4 && segments[0].Length == 0 && KubeletStreamingVerbs.Contains(segments[1])
            && segments[2].Length > 0 && segments[3].Length > 0
            ? (Uri.UnescapeDataString(segments[2]), Uri.UnescapeDataString(segments[3]))
            : null;
    }

    /// <summary>Removes every nodeName parameter from a raw query, keeping the others untouched and in order.</summary>
    public static (string Query, string? NodeName) StripNodeName(string queryString)
    {
        var raw = (queryString ?? "").TrimStart('?');
        if (raw.Length == 0)
        {
            return ("", null);
        }

        string? node = null;
        var kept = new List<string>();
        foreach (var pair in raw.Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            if (key == NodeNameQuery)
            {
                node = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            }
            else if (pair.Length > 0)
            {
                kept.Add(pair);
            }
        }

        return (kept.Count == 0 ? "" : "?" + string.Join('&', kept), node);
    }

    public static (string Host, int? Port) SplitHostPort(string authority)
    {
        authority ??= "";
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close > 0)
            {
                var host = authority[1..close];
                var rest = authority[(close + 1)..];
                return (host, rest.StartsWith(':') ? ParsePort(rest[1..]) : null);
            }
        }

        var colon = authority.LastIndexOf(':');
        if (colon >= 0 && authority.IndexOf(':', StringComparison.Ordinal) == colon)
        {
            return (authority[..colon], ParsePort(authority[(colon + 1)..]));
        }

        return (authority, null);
    }

    private static int? ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            ? port
            : null;
}
