using Microsoft.Extensions.Logging;

namespace Raven.Kube.Client.Cache;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} watch from resourceVersion {ResourceVersion} expired ({Reason}); relisting")]
    public static partial void Expired(ILogger logger, string kind, string? resourceVersion, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {Operation} failed; retrying after backoff")]
    public static partial void Failed(ILogger logger, string kind, string operation, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Kind} informer handler threw on {Notification}")]
    public static partial void HandlerFailed(ILogger logger, string kind, string notification, Exception exception);
}
