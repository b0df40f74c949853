using System.Net.Sockets;
using System.Security.Authentication;
using Raven.Kube.Client;

namespace Raven.Kube.Observability;

/// <summary>
/// Which exceptions are expected in operation (an API server or peer that is down, slow or refusing) and so are
/// told as one line with their cause, and which are bugs that deserve their stack trace.
/// </summary>
public static class LogExceptions
{
    /// <summary>Failures of the network or of a peer: the code handles them (retry, back off), so no stack is needed.</summary>
    public static bool IsExpected(Exception exception) => exception switch
    {
        null => false,
        HttpRequestException or SocketException or TimeoutException or IOException or AuthenticationException
            or OperationCanceledException or k8s.Autorest.HttpOperationException or k8s.KubernetesException
            or k8s.Exceptions.KubeConfigException => true,
        AggregateException { InnerExceptions.Count: > 0 } many => many.InnerExceptions.All(IsExpected),
        _ => false,
    };

    /// <summary>
    /// The exception and its causes on one line, outermost first; a cause whose text the outer message already
    /// contains is left out, so "GET https://api:6443/...: Connection refused (api:6443)" is not followed by a bare
    /// "Connection refused".
    /// </summary>
    public static string OneLine(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var parts = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            // The official client's refusals carry the whole response body in their message: tell the Status instead.
            var message = Flatten(current.IsApiError() ? KubeErrors.Describe(current) : current.Message);
            if (parts.Count == 0 || !parts.Any(p => p.Contains(message, StringComparison.Ordinal)))
            {
                parts.Add(message);
            }
        }

        return string.Join(": ", parts);
    }

    private static string Flatten(string text) => text.ReplaceLineEndings(" ").Trim();
}
