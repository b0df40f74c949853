using Raven.Kube.Models;

namespace Raven.Kube.Client.Watch;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,

    /// <summary>Carries only metadata.resourceVersion: progress to resume from, no object change.</summary>
    Bookmark,

    /// <summary>The server ended the watch with a Status (e.g. 410 Expired).</summary>
    Error,
}

/// <summary>One event of a watch stream: an object for Added/Modified/Deleted/Bookmark, a Status for Error.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T? Object, Status? Status = null);
