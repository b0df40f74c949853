namespace Raven.Agent.Proxy.Tunnel;

public sealed class TunnelClientOptions
{
    /// <summary>This proxy client's identity: its node name. Must match a DNS name in its certificate, if it has any.</summary>
    public required string NodeName { get; init; }

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>TCP connect timeout towards the server and towards dial targets.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan KeepAlivePingDelay { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan KeepAlivePingTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Per-stream HTTP/2 receive window (bytes flowing server → target are not limited by it).</summary>
    public int StreamWindowSize { get; init; } = 1024 * 1024;

    /// <summary>Which dial targets this client agrees to connect to; null allows any the server asks for.</summary>
    public Func<System.Net.DnsEndPoint, bool>? AllowTarget { get; init; }
}
