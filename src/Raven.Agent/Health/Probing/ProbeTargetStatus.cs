using Raven.Agent.Health.Detection;

namespace Raven.Agent.Health.Probing;

/// <summary>What the wiring exports per target: the target, the session's numbers and the socket-level counters.</summary>
/// <param name="AuthenticationFailures">Datagrams dropped for a missing, unexpected or wrong MAC (a key mismatch shows here).</param>
/// <param name="Malformed">Datagrams that were not version-1 probe datagrams.</param>
/// <param name="SendErrors">Probes the kernel refused to send (no route, link down); each also ends as a miss.</param>
public sealed record ProbeTargetStatus(
    ProbeTarget Target,
    uint Session,
    ProbeStatistics Statistics,
    long AuthenticationFailures,
    long Malformed,
    long SendErrors);
