using System.Net;
using Raven.Agent.Proxy.Directory;
using Raven.Agent.Proxy.FrontEnd;
using Raven.Agent.Proxy.Tunnel;

namespace Raven.Agent.Tests.Proxy;

/// <summary>
/// Two edge domains (gw-a, gw-b) whose kubelets listen on the SAME port at 127.0.0.2 and 127.0.0.3, each reached
/// through its own proxy client; a node of the server's own domain (gw-cloud, 127.0.0.4) dialed directly; and a
/// domain without an elected proxy gateway.
/// </summary>
internal sealed class FrontEndFixture : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    public required TunnelFixture Tunnel { get; init; }

    public required ProxyFrontEnd FrontEnd { get; init; }

    public required FakeKubelet KubeletA { get; init; }

    public required FakeKubelet KubeletB { get; init; }

    public required FakeKubelet KubeletLocal { get; init; }

    public required FakeKubelet SecureKubeletA { get; init; }

    public required InMemoryProxyDirectory Directory { get; init; }

    public int Port => KubeletA.Port;

    public static async Task<FrontEndFixture> StartAsync()
    {
        var tunnel = await TunnelFixture.StartAsync();
        var a = await FakeKubelet.StartAsync("kubelet-a", IPAddress.Parse("127.0.0.2"), 0);
        var b = await FakeKubelet.StartAsync("kubelet-b", IPAddress.Parse("127.0.0.3"), a.Port);
        var local = await FakeKubelet.StartAsync("kubelet-local", IPAddress.Parse("127.0.0.4"), a.Port);
        var secure = await FakeKubelet.StartAsync("kubelet-a-secure", IPAddress.Parse("127.0.0.2"), 0, tunnel.Pki.Server());
        var directory = new InMemoryProxyDirectory()
            .Add(new ProxyNode("edge-a", IPAddress.Parse("127.0.0.2"), "gw-a"))
            .Add(new ProxyNode("edge-b", IPAddress.Parse("127.0.0.3"), "gw-b"))
            .Add(new ProxyNode("cloud-1", IPAddress.Parse("127.0.0.4"), "gw-cloud"))
            .Add(new ProxyNode("lonely", IPAddress.Parse("127.0.0.5"), "gw-unelected"))
            .Add(new ProxyNode("edge-c", IPAddress.Parse("127.0.0.6"), "gw-c"))
            .Add(new ProxyGateway("gw-a", ["gw-a-node"], [a.Port], [secure.Port]))
            .Add(new ProxyGateway("gw-b", ["gw-b-node"], [], []))
            .Add(new ProxyGateway("gw-cloud", ["cloud-gw-node"], [], []))
            .Add(new ProxyGateway("gw-unelected", [], [], []))
            .Add(new ProxyGateway("gw-c", ["gw-c-node"], [], []))
            .AddPod("default", "web-1", "edge-b");
        await tunnel.ConnectClientAsync("gw-a-node");
        await tunnel.ConnectClientAsync("gw-b-node");
        var frontEnd = await StartFrontEndAsync(tunnel, directory, [IPNetwork.Parse("127.0.0.0/8")]);
        var fixture = new FrontEndFixture
        {
            Tunnel = tunnel, FrontEnd = frontEnd, KubeletA = a, KubeletB = b, KubeletLocal = local,
            SecureKubeletA = secure, Directory = directory,
        };
        fixture._owned.AddRange([frontEnd, a, b, local, secure, tunnel]);
        return fixture;
    }

    public static async Task<ProxyFrontEnd> StartFrontEndAsync(TunnelFixture tunnel, InMemoryProxyDirectory directory,
        IReadOnlyList<IPNetwork> allowedSources)
    {
        var options = new ProxyFrontEndOptions
        {
            SecureListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            InsecureListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            AllowedSourceCidrs = allowedSources,
            LocalGatewayName = "gw-cloud",
            ShutdownTimeout = TimeSpan.FromSeconds(1),
        };
        var frontEnd = new ProxyFrontEnd(options, tunnel.Server, directory, directory, directory, tunnel.ServerCertificates);
        await frontEnd.StartAsync();
        return frontEnd;
    }

    public HttpClient HttpClient() => new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
    {
        BaseAddress = new Uri($"http://{FrontEnd.InsecureEndPoint}"),
    };

    public HttpClient HttpsClient(bool withCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions =
            {
                RemoteCertificateValidationCallback =
                    Raven.Agent.Proxy.Certificates.CertificateTrust.ServerValidator(Tunnel.ServerCertificates),
            },
        };
        if (withCertificate)
        {
            handler.SslOptions.ClientCertificates =
                [Tunnel.Pki.Issue("CN=kube-apiserver-kubelet-client, O=system:masters", Raven.Agent.Proxy.Certificates.CertificateTrust.ClientAuth)];
        }

        return new HttpClient(handler) { BaseAddress = new Uri($"https://{FrontEnd.SecureEndPoint}") };
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }
}
