using System.Net;
using Raven.Agent.Proxy.Certificates;
using Raven.Agent.Proxy.Tunnel;
using Raven.TestSupport;

namespace Raven.Agent.Tests.Proxy;

/// <summary>A tunnel server on 127.0.0.1 with proxy clients connected to it; everything torn down on dispose.</summary>
internal sealed class TunnelFixture : IAsyncDisposable
{
    private readonly List<TunnelClient> _clients = [];

    private TunnelFixture(TestPki pki, TunnelServer server, InMemoryCertificateSource serverCertificates)
    {
        Pki = pki;
        Server = server;
        ServerCertificates = serverCertificates;
    }

    public TestPki Pki { get; }

    public TunnelServer Server { get; private set; }

    public IReadOnlyList<TunnelClient> Clients => _clients;

    public InMemoryCertificateSource ServerCertificates { get; }

    public DnsEndPoint ServerEndPoint => new(Server.LocalEndPoint!.Address.ToString(), Server.LocalEndPoint.Port);

    public static async Task<TunnelFixture> StartAsync(TestPki? pki = null, Action<TunnelServerOptions>? configure = null)
    {
        pki ??= new TestPki();
        var certificates = pki.Source();
        var options = ServerOptions(new IPEndPoint(IPAddress.Loopback, 0));
        configure?.Invoke(options);
        var server = new TunnelServer(options, certificates);
        await server.StartAsync();
        return new TunnelFixture(pki, server, certificates);
    }

    public static TunnelServerOptions ServerOptions(IPEndPoint listen) => new()
    {
        ListenEndPoint = listen,
        DialTimeout = TimeSpan.FromSeconds(10),
        ShutdownTimeout = TimeSpan.FromSeconds(1),
    };

    /// <param name="via">Where the client connects instead of the server itself (a <see cref="LinkRelay"/>).</param>
    /// <param name="dialed">Told of every target the client is asked to dial.</param>
    public async Task<TunnelClient> ConnectClientAsync(string nodeName, bool waitConnected = true,
        InMemoryCertificateSource? certificates = null, DnsEndPoint? via = null, Action<DnsEndPoint>? dialed = null)
    {
        var options = ClientOptions(nodeName);
        if (dialed is not null)
        {
            options = new TunnelClientOptions
            {
                NodeName = options.NodeName, InitialBackoff = options.InitialBackoff, MaxBackoff = options.MaxBackoff,
                ConnectTimeout = options.ConnectTimeout,
                AllowTarget = target =>
                {
                    dialed(target);
                    return true;
                },
            };
        }

        var client = new TunnelClient(options, certificates ?? Pki.Source(Pki.TunnelClient(nodeName)));
        _clients.Add(client);
        await client.SetServersAsync([via ?? ServerEndPoint]);
        if (waitConnected)
        {
            await Poll.UntilAsync(() => Server.IsConnected(nodeName), $"{nodeName} is connected");
        }

        return client;
    }

    public static TunnelClientOptions ClientOptions(string nodeName) => new()
    {
        NodeName = nodeName,
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(400),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>Stops the server and starts a new one on the same port.</summary>
    public async Task RestartServerAsync()
    {
        var endPoint = Server.LocalEndPoint!;
        await Server.DisposeAsync();
        Server = new TunnelServer(ServerOptions(endPoint), ServerCertificates);
        await Server.StartAsync();
    }

    public async Task RemoveClientAsync(TunnelClient client)
    {
        _clients.Remove(client);
        await client.DisposeAsync();
    }

    public async Task<TunnelStream> DialAsync(string nodeName, DnsEndPoint target)
    {
        var result = await Server.DialAsync(nodeName, target, CancellationToken.None);
        result.Status.Should().Be(TunnelDialStatus.Connected, result.Error);
        return result.Stream!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        await Server.DisposeAsync();
    }
}
