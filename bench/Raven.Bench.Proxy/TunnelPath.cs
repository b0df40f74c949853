using System.Net;
using Raven.Agent.Proxy.Tunnel;
using Raven.TestSupport;

namespace Raven.Bench.Proxy;

/// <summary>
/// The L7 reverse tunnel on loopback: a TunnelServer on 127.0.0.1, one TunnelClient ("bench-node") connected to it
/// with mutual TLS from an in-process CA; a stream is TunnelServer.DialAsync → client → TCP to the target.
/// </summary>
internal sealed class TunnelPath : IPath, IAsyncDisposable
{
    public const string Node = "bench-node";
    private readonly TunnelServer _server;
    private readonly TunnelClient _client;

    private TunnelPath(TunnelServer server, TunnelClient client)
    {
        _server = server;
        _client = client;
    }

    public string Name => "through the tunnel";

    public TunnelServer Server => _server;

    public static async Task<TunnelPath> StartAsync()
    {
        var pki = new TestPki();
        var server = new TunnelServer(new TunnelServerOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, pki.Source());
        await server.StartAsync();
        var client = new TunnelClient(new TunnelClientOptions { NodeName = Node, InitialBackoff = TimeSpan.FromMilliseconds(50) },
            pki.Source(pki.TunnelClient(Node)));
        await client.SetServersAsync([new DnsEndPoint("127.0.0.1", server.LocalEndPoint!.Port)]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!server.IsConnected(Node))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException("the tunnel client never connected");
            }

            await Task.Delay(20);
        }

        return new TunnelPath(server, client);
    }

    public async Task<Stream> OpenAsync(DnsEndPoint target)
    {
        var result = await _server.DialAsync(Node, target, CancellationToken.None);
        return result.Status == TunnelDialStatus.Connected ? result.Stream! : throw new InvalidOperationException($"dial {result.Status}: {result.Error}");
    }

    public Task CompleteWritesAsync(Stream stream) => ((TunnelStream)stream).CompleteWritesAsync();

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }
}
