namespace Raven.Agent.Proxy.Tunnel;

/// <summary>Names on the wire of the reverse tunnel (see docs/l7-proxy-protocol.md). Changing one breaks peers.</summary>
public static class TunnelProtocol
{
    public const string Version = "1";
    public const string ControlPath = "/raven/proxy/v1/control";
    public const string ConnectPathPrefix = "/raven/proxy/v1/connect/";

    /// <summary>Request header on every tunnel request: the proxy client's node name.</summary>
    public const string NodeHeader = "Raven-Proxy-Node";

    /// <summary>Request header on the control request: the protocol version the client speaks.</summary>
    public const string VersionHeader = "Raven-Proxy-Protocol";

    /// <summary>Request header on a connect request that reports a failed dial instead of carrying bytes.</summary>
    public const string DialErrorHeader = "Raven-Proxy-Dial-Error";

    public static string ConnectPath(long dialId) =>
        ConnectPathPrefix + dialId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool TryParseConnectPath(string path, out long dialId)
    {
        dialId = 0;
        return path.StartsWith(ConnectPathPrefix, StringComparison.Ordinal)
            && long.TryParse(path.AsSpan(ConnectPathPrefix.Length), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out dialId)
            && dialId > 0;
    }
}
