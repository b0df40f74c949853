namespace Raven.Kube.Client.Leader;

/// <summary>
/// What to do as leadership changes. <see cref="OnStartedLeading"/> runs in the background with a token that is
/// cancelled the moment leadership is lost; <see cref="OnStoppedLeading"/> runs after that; <see cref="OnNewLeader"/>
/// reports every change of the observed holder (including this candidate).
/// </summary>
public sealed record LeaderCallbacks(
    Func<CancellationToken, Task>? OnStartedLeading = null,
    Action? OnStoppedLeading = null,
    Action<string>? OnNewLeader = null);
