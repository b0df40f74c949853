using System.Collections.Concurrent;
using System.Net;
using Raven.Agent.Proxy.Directory;
using Raven.Agent.Proxy.FrontEnd;
using Raven.Agent.Proxy.Tunnel;

namespace Raven.Agent.Tests.Proxy;

/// <summary>
/// A proxy server (tunnel server and front end) and one edge domain gw-a with two proxy gateways, gw-a-1 and gw-a-2,
/// each connected through its own <see cref="LinkRelay"/> so a test can kill either path; node edge-a's kubelet
/// listens on 127.0.0.2. <see cref="Dials"/> counts the targets each client was asked to dial.
/// </summary>
internal sealed class ProxyHaFixture : IAsyncDisposable
{
    public static readonly string[] Clients = ["gw-a-1", "gw-a-2"];

    private ProxyHaFixture(TunnelFixture tunnel, ProxyFrontEnd frontEnd, FakeKubelet kubelet, Dictionary<string, LinkRelay> relays,
        ConcurrentDictionary<string, int> dials, InMemoryProxyDirectory directory)
    {
        Directory = directory;
        Tunnel = tunnel;
        FrontEnd = frontEnd;
        Kubelet = kubelet;
        Relays = relays;
        Dials = dials;
    }

    public TunnelFixture Tunnel { get; }

    public InMemoryProxyDirectory Directory { get; }

    public ProxyFrontEnd FrontEnd { get; }

    public FakeKubelet Kubelet { get; }

    public IReadOnlyDictionary<string, LinkRelay> Relays { get; }

    public ConcurrentDictionary<string, int> Dials { get; }

    public static async Task<ProxyHaFixture> StartAsync(Action<TunnelServerOptions>? configure = null)
    {
        var tunnel = await TunnelFixture.StartAsync(configure: configure);
        var kubelet = await FakeKubelet.StartAsync("kubelet-a", IPAddress.Parse("127.0.0.2"), 0);
        var directory = new InMemoryProxyDirectory()
            .Add(new ProxyNode("edge-a", IPAddress.Parse("127.0.0.2"), "gw-a"))
            .Add(new ProxyGateway("gw-a", Clients, [kubelet.Port], []));
        var dials = new ConcurrentDictionary<string, int>();
        var relays = new Dictionary<string, LinkRelay>();
        foreach (var client in Clients)
        {
            relays[client] = new LinkRelay(tunnel.Server.LocalEndPoint!);
            dials[client] = 0;
            await tunnel.ConnectClientAsync(client, via: relays[client].EndPoint,
                dialed: _ => dials.AddOrUpdate(client, 1, (_, n) => n + 1));
        }

        var frontEnd = await FrontEndFixture.StartFrontEndAsync(tunnel, directory, [IPNetwork.Parse("127.0.0.0/8")]);
        return new ProxyHaFixture(tunnel, frontEnd, kubelet, relays, dials, directory);
    }

    /// <summary>A request for node edge-a; <c>close</c> makes the kubelet end the connection, so every request dials anew.</summary>
    public static HttpRequestMessage Request(int port, string path = "/pods?close=1") =>
        new(HttpMethod.Get, path) { Headers = { Host = $"edge-a:{port}" } };

    public HttpClient HttpClient() => new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
    {
        BaseAddress = new Uri($"http://{FrontEnd.InsecureEndPoint}"),
        // A guard against hanging forever, far above anything the tests wait for.
        Timeout = TimeSpan.FromSeconds(60),
    };

    public async ValueTask DisposeAsync()
    {
        await FrontEnd.DisposeAsync();
        await Tunnel.DisposeAsync();
        foreach (var relay in Relays.Values)
        {
            await relay.DisposeAsync();
        }

        await Kubelet.DisposeAsync();
    }
}
