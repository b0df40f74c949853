using Raven.Agent.Planning;

namespace Raven.Agent.Engine.Drivers;

/// <summary>
/// One slice of the data plane (tunnel, VXLAN, routing, netfilter, sysctls): brings the kernel or daemon to its part
/// of the plan, applying only the difference. May throw; <see cref="PlanApplier"/> turns that into a failed outcome
/// and goes on with the next driver.
/// </summary>
public interface IPlanDriver
{
    string Name { get; }

    Task<DriverOutcome> ApplyAsync(NetworkPlan plan, CancellationToken cancellationToken);
}
