namespace Raven.Agent.Health.Probing;

/// <summary>What one <see cref="Prober.SyncAsync"/> changed; <see cref="Failed"/> names each target that could not start and why.</summary>
public sealed record ProbeSyncResult(int Started, int Stopped, IReadOnlyList<string> Failed);
