using Microsoft.Extensions.Logging;
using Raven.Agent.Proxy.Certificates;
using Raven.Agent.Proxy.FrontEnd;
using Raven.Agent.Proxy.Tunnel;

namespace Raven.Agent.Proxy.Cluster;

/// <summary>A running proxy server: the tunnel server and the front ends that dial through it.</summary>
internal sealed class ProxyServerRole : IAsyncDisposable
{
    private ProxyServerRole(string localGateway, TunnelServer tunnel, ProxyFrontEnd frontEnd)
    {
        LocalGateway = localGateway;
        Tunnel = tunnel;
        FrontEnd = frontEnd;
    }

    public string LocalGateway { get; }

    public TunnelServer Tunnel { get; }

    public ProxyFrontEnd FrontEnd { get; }

    public static async Task<ProxyServerRole> StartAsync(ProxyHostOptions options, string localGateway, ICertificateSource certificates,
        ClusterProxyDirectory directory, ILoggerFactory logs, TimeProvider clock)
    {
        var tunnel = new TunnelServer(new TunnelServerOptions { ListenEndPoint = options.TunnelListen }, certificates,
            logs.CreateLogger<TunnelServer>(), clock);
        var frontEnd = new ProxyFrontEnd(new ProxyFrontEndOptions
        {
            SecureListenEndPoint = options.SecureListen,
            InsecureListenEndPoint = options.InsecureListen,
            AllowedSourceCidrs = options.AllowedSourceCidrs,
            LocalGatewayName = localGateway,
            DialObserved = options.DialObserved,
            RequestObserved = options.RequestObserved,
        }, tunnel, directory, directory, directory, certificates, logs.CreateLogger<ProxyFrontEnd>(), clock);
        try
        {
            await tunnel.StartAsync().ConfigureAwait(false);
            await frontEnd.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await frontEnd.DisposeAsync().ConfigureAwait(false);
            await tunnel.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new ProxyServerRole(localGateway, tunnel, frontEnd);
    }

    public async ValueTask DisposeAsync()
    {
        await FrontEnd.DisposeAsync().ConfigureAwait(false);
        await Tunnel.DisposeAsync().ConfigureAwait(false);
    }
}
