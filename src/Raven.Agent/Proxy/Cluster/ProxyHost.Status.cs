using System.Net;
using Raven.Agent.Proxy.Certificates;

namespace Raven.Agent.Proxy.Cluster;

public sealed partial class ProxyHost
{
    /// <summary>A snapshot for `raven lab status`.</summary>
    public ProxyHostStatus Status
    {
        get
        {
            var roles = Volatile.Read(ref _roles);
            var server = Volatile.Read(ref _server);
            var client = Volatile.Read(ref _tunnelClient);
            var role = (roles.Client, roles.Server) switch
            {
                (true, true) => "client+server",
                (true, false) => "client",
                (false, true) => "server",
                _ => "none",
            };
            var certificates = new[] { _certificates?.Server, _certificates?.ProxyUser, _certificates?.TunnelClient }
                .OfType<CsrCertificateManager>()
                .Select(m => new ProxyCertificateStatus(m.Profile.FilePrefix, m.Current is not null, m.Current?.NotAfter, m.LastError))
                .ToList();
            return new ProxyHostStatus(role, roles.Reason, roles.LocalGateway, client is not null, server is not null,
                roles.ServerTargets.Select(Text).ToList(),
                client?.Connections.Where(c => c.Connected).Select(c => Text(c.Server)).ToList() ?? [],
                server?.Tunnel.ConnectedNodes.Order(StringComparer.Ordinal).ToList() ?? [],
                server?.Tunnel.LocalEndPoint?.ToString(), server?.FrontEnd.SecureEndPoint?.ToString(),
                server?.FrontEnd.InsecureEndPoint?.ToString(), certificates, Volatile.Read(ref _lastError));
        }
    }

    private static string Text(DnsEndPoint endPoint) => $"{endPoint.Host}:{endPoint.Port}";
}
