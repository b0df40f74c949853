using System.Net;
using Microsoft.Extensions.Logging;

namespace Raven.Agent.Proxy.Cluster;

public sealed partial class ProxyHost
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "L7 proxy: no cluster CA found (options, service-account ca.crt, kubeconfig); tunnel TLS will fail")]
    private partial void LogNoCa();

    [LoggerMessage(Level = LogLevel.Information, Message = "L7 proxy role: client={Client} server={Server} gateway={Gateway} ({Reason})")]
    private partial void LogRoles(bool client, bool server, string gateway, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "L7 proxy: {Error}; retrying in {Delay}")]
    private partial void LogReconcileFailed(string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "L7 proxy client started")]
    private partial void LogClientStarted();

    [LoggerMessage(Level = LogLevel.Information, Message = "L7 proxy client stopped")]
    private partial void LogClientStopped();

    [LoggerMessage(Level = LogLevel.Information, Message = "L7 proxy server for gateway {Gateway} started: tunnel {Tunnel}, https {Secure}, http {Insecure}")]
    private partial void LogServerStarted(string gateway, IPEndPoint? tunnel, IPEndPoint? secure, IPEndPoint? insecure);

    [LoggerMessage(Level = LogLevel.Information, Message = "L7 proxy server for gateway {Gateway} stopped")]
    private partial void LogServerStopped(string gateway);
}
