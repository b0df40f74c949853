namespace Raven.Kube.Client.Cache;

/// <summary>What an informer watches and how it paces itself.</summary>
public sealed record InformerOptions
{
    /// <summary>Namespace to watch; null = all namespaces (or a cluster-scoped type).</summary>
    public string? Namespace { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Every period, each cached object is re-delivered as an update (old == new); zero disables.</summary>
    public TimeSpan ResyncPeriod { get; init; }

    public int PageSize { get; init; } = 500;

    /// <summary>Server-side watch timeout; each watch picks a random value between this and twice this.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A watch that ends sooner than this without events counts as a failure and backs off (no busy loop).</summary>
    public TimeSpan MinWatchDuration { get; init; } = TimeSpan.FromSeconds(1);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
