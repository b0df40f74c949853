using Raven.Api.V1Beta1;

namespace Raven.Agent.Engine;

/// <summary>Events the agent records on Gateways (a tunnel peer it had to skip). Failures are the sink's to log, never thrown.</summary>
public interface IGatewayEvents
{
    Task WarnAsync(Gateway gateway, string reason, string message, CancellationToken cancellationToken);
}

/// <summary>Records nothing (tests and tools that have no API server).</summary>
public sealed class NoGatewayEvents : IGatewayEvents
{
    public static NoGatewayEvents Instance { get; } = new();

    public Task WarnAsync(Gateway gateway, string reason, string message, CancellationToken cancellationToken) => Task.CompletedTask;
}
