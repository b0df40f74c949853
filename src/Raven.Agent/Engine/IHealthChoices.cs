using Raven.Agent.Planning;
using Raven.Api.V1Beta1;

namespace Raven.Agent.Engine;

/// <summary>
/// The data plane's own view of which tunnel endpoint serves each domain (Health/Wiring's monitor; a fake in tests).
/// The engine plans with <see cref="ServingGateways"/>, runs a pass when <see cref="Changed"/> fires, and tells it
/// what each pass planned.
/// </summary>
public interface IHealthChoices
{
    IReadOnlyDictionary<string, string> ServingGateways { get; }

    /// <summary>Per punchable remote domain, how far this node's probes took its punched path (<see cref="LocalNode.PunchedPaths"/>).</summary>
    IReadOnlyDictionary<string, PunchStage> PunchedPaths => new Dictionary<string, PunchStage>(StringComparer.Ordinal);

    event Action? Changed;

    void Observe(IReadOnlyList<Gateway> gateways, NetworkPlan plan);
}
