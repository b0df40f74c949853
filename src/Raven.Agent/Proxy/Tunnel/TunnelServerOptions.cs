using System.Net;

namespace Raven.Agent.Proxy.Tunnel;

public sealed class TunnelServerOptions
{
    /// <summary>Where proxy clients connect (upstream <c>--proxy-external-addr</c>, port 10262).</summary>
    public IPEndPoint ListenEndPoint { get; set; } = new(IPAddress.Any, Raven.Api.WellKnown.ProxyServerExposedPort);

    /// <summary>How long a dial may take: the client's TCP connect plus opening the connect stream.</summary>
    public TimeSpan DialTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a dial waits for one proxy client before asking the next client of the same domain as well
    /// (their first stream wins). Covers a client whose host died while its connection still looks open, until the
    /// keep-alive below notices. A slow but live client costs only one extra target connection, reset at once.</summary>
    public TimeSpan HedgeDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>HTTP/2 PING interval on an idle connection; a dead client is dropped after the ping timeout.</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Concurrent proxied connections per client connection (plus its control stream).</summary>
    public int MaxStreamsPerConnection { get; set; } = 10_000;

    /// <summary>Per-stream HTTP/2 receive window. 1 MiB keeps a loopback or LAN stream busy without letting
    /// one slow target pin much memory.</summary>
    public int StreamWindowSize { get; set; } = 1024 * 1024;

    public int ConnectionWindowSize { get; set; } = 16 * 1024 * 1024;

    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromMilliseconds(500);
}
