namespace Raven.Agent.Proxy.Directory;

/// <summary>Gateways by name, as the proxy sees them. The integrator backs this with the Gateway informer cache,
/// building each entry with <see cref="ProxyGateway.FromApi"/>.</summary>
public interface IProxyGatewayDirectory
{
    ProxyGateway? FindGateway(string name);

    IReadOnlyCollection<ProxyGateway> ListGateways();
}
