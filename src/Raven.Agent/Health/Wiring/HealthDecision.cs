using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Health.Wiring;

/// <summary>
/// One round of decisions: per domain the tunnel endpoint this node sends through, the claim its responder
/// advertises, and one log line per choice or claim that changed since the previous round.
/// </summary>
public sealed record HealthDecision(IReadOnlyDictionary<string, string> Serving, GatewayClaim Claim, IReadOnlyList<string> Changes);
