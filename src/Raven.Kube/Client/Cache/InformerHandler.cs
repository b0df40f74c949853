namespace Raven.Kube.Client.Cache;

/// <summary>Callbacks for one informer subscriber; any may be null. Called one at a time, in event order.</summary>
public sealed record InformerHandler<T>(Action<T>? OnAdd = null, Action<T, T>? OnUpdate = null, Action<T>? OnDelete = null);

internal enum NotificationKind
{
    Add,
    Update,
    Delete,
    Synced,
}

internal readonly record struct Notification<T>(NotificationKind Kind, T? Old, T? New);
