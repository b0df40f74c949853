using System.Net;
using Raven.Agent.Proxy.Directory;
using Raven.Agent.Proxy.FrontEnd;
using Raven.TestSupport;

namespace Raven.Bench.Proxy;

/// <summary>
/// HTTP through the proxy server's HTTP front end (port 10264's handler on 127.0.0.1:0): caller → front end → the
/// tunnel of <see cref="TunnelPath"/> → the target, routed by <c>?nodeName=</c> as kube-apiserver callers do.
/// </summary>
internal sealed class FrontEndPath : IAsyncDisposable
{
    public const string EdgeNode = "bench-edge";
    private readonly ProxyFrontEnd _frontEnd;

    private FrontEndPath(ProxyFrontEnd frontEnd) => _frontEnd = frontEnd;

    public Uri BaseAddress => new($"http://{_frontEnd.InsecureEndPoint}");

    public static async Task<FrontEndPath> StartAsync(TunnelPath tunnel, int targetPort)
    {
        var directory = new InMemoryProxyDirectory()
            .Add(new ProxyNode(EdgeNode, IPAddress.Loopback, "gw-edge"))
            .Add(new ProxyGateway("gw-edge", [TunnelPath.Node], [targetPort], []));
        var options = new ProxyFrontEndOptions
        {
            SecureListenEndPoint = null,
            InsecureListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            AllowedSourceCidrs = [IPNetwork.Parse("127.0.0.0/8")],
            LocalGatewayName = "gw-cloud",
        };
        var frontEnd = new ProxyFrontEnd(options, tunnel.Server, directory, directory, directory, new TestPki().Source());
        await frontEnd.StartAsync();
        return new FrontEndPath(frontEnd);
    }

    public ValueTask DisposeAsync() => _frontEnd.DisposeAsync();
}
