namespace Raven.ApiServer;

/// <summary>fieldValidation: what a write does with fields the type does not declare (the server's default is Warn).</summary>
internal enum FieldValidation { Ignore, Warn, Strict }

/// <summary>The query options every write carries: dryRun, fieldValidation, fieldManager and force, plus where warnings go.</summary>
internal sealed record WriteOptions
{
    public static WriteOptions Default { get; } = new();

    public bool DryRun { get; init; }

    public FieldValidation FieldValidation { get; init; } = FieldValidation.Warn;

    /// <summary>The manager named in managedFields; null lets the server derive one from the User-Agent.</summary>
    public string? FieldManager { get; init; }

    /// <summary>Who writes (CSRs record the requester, as on a real server).</summary>
    public Auth.UserInfo User { get; init; } = Auth.UserInfo.Admin;

    /// <summary>The request's User-Agent; its product name is the manager when no fieldManager is given.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The manager recorded in managedFields: fieldManager, else the User-Agent up to its first '/', else "unknown".</summary>
    public string Manager => !string.IsNullOrEmpty(FieldManager) ? FieldManager
        : UserAgent is { Length: > 0 } agent ? agent.Split('/')[0].Trim() is { Length: > 0 } product ? product : "unknown"
        : "unknown";

    /// <summary>Server-side apply only: take ownership of conflicting fields.</summary>
    public bool Force { get; init; }

    /// <summary>Told each warning, e.g. to send it as a Warning header.</summary>
    public Action<string>? Warn { get; init; }
}
