using Microsoft.Extensions.Logging;

namespace Raven.Kube.Client.Leader;

internal static partial class LeaderLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} became leader on lease {Namespace}/{Name}")]
    public static partial void Acquired(ILogger logger, string identity, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} lost leadership: {Why}")]
    public static partial void Lost(ILogger logger, string identity, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} released lease {Namespace}/{Name}")]
    public static partial void Released(ILogger logger, string identity, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Identity} lease attempt failed: {Error}")]
    public static partial void AttemptFailed(ILogger logger, string identity, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Identity} leader work ended with an error")]
    public static partial void WorkEnded(ILogger logger, string identity, Exception exception);
}
