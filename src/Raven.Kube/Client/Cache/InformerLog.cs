using Microsoft.Extensions.Logging;

namespace Raven.Kube.Client.Cache;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} watch from resourceVersion {ResourceVersion} expired ({Reason}); relisting")]
    public static partial void Expired(ILogger logger, string kind, string? resourceVersion, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {Operation} failed{Where}; retrying with backoff, keeping the last cached objects")]
    public static partial void Failed(ILogger logger, string kind, string operation, string where, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Kind} {Operation} failed again")]
    public static partial void FailedAgain(ILogger logger, string kind, string operation, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {Operation} still failing{Where} after {Seconds:0}s and {Attempts} attempts")]
    public static partial void StillFailing(ILogger logger, string kind, string operation, string where, double seconds, int attempts, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} list/watch works again after {Seconds:0.0}s and {Attempts} failed attempts")]
    public static partial void Recovered(ILogger logger, string kind, double seconds, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Kind} informer handler threw on {Notification}")]
    public static partial void HandlerFailed(ILogger logger, string kind, string notification, Exception exception);
}
