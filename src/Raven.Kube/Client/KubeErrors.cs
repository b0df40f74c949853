using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Raven.Kube.Client;

/// <summary>
/// Reads the official client's failures: <see cref="HttpOperationException"/> for a refused request (the body is
/// the server's Status) and <see cref="KubernetesException"/> for an ERROR event in a watch.
/// </summary>
public static class KubeErrors
{
    /// <summary>The server answered and refused (any status outside 2xx, or a watch ERROR event).</summary>
    public static bool IsApiError(this Exception exception) => exception is HttpOperationException or KubernetesException;

    public static bool IsNotFound(this Exception exception) => Code(exception) == HttpStatusCode.NotFound;

    /// <summary>409 because the object changed since it was read (stale resourceVersion), not because it exists.</summary>
    public static bool IsConflict(this Exception exception) =>
        Code(exception) == HttpStatusCode.Conflict && StatusOf(exception)?.Reason != "AlreadyExists";

    public static bool IsAlreadyExists(this Exception exception) =>
        Code(exception) == HttpStatusCode.Conflict && StatusOf(exception)?.Reason == "AlreadyExists";

    /// <summary>410 Gone / reason Expired: the resourceVersion is too old; relist.</summary>
    public static bool IsExpired(this Exception exception) =>
        Code(exception) == HttpStatusCode.Gone || StatusOf(exception)?.Reason is "Expired" or "Gone";

    public static bool IsUnauthorized(this Exception exception) => Code(exception) is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    /// <summary>The request's result, or null when the server answers 404 Not Found.</summary>
    public static async Task<T?> NullIfNotFound<T>(this Task<T> request)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await request.ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return null;
        }
    }

    /// <summary>The HTTP status the server gave, or null when the exception is not an API refusal.</summary>
    public static HttpStatusCode? Code(Exception exception) => exception switch
    {
        HttpOperationException { Response: { } response } => response.StatusCode,
        KubernetesException { Status.Code: { } code } => (HttpStatusCode)code,
        _ => null,
    };

    /// <summary>The server's explanation (meta/v1 Status), when it sent one.</summary>
    public static V1Status? StatusOf(Exception exception)
    {
        switch (exception)
        {
            case KubernetesException k:
                return k.Status;
            case HttpOperationException { Response.Content: { Length: > 0 } body } when body.TrimStart().StartsWith('{'):
                try
                {
                    var status = KubernetesJson.Deserialize<V1Status>(body);
                    return status is { Kind: "Status" } ? status : null;
                }
                catch (JsonException)
                {
                    return null;
                }

            default:
                return null;
        }
    }

    /// <summary>
    /// One line for logs: "PUT https://api:6443/apis/...: 409 Conflict: the object has been modified [field: why]"
    /// instead of the library's message, which carries the whole response body.
    /// </summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is not (HttpOperationException or KubernetesException))
        {
            return exception.Message;
        }

        var status = StatusOf(exception);
        var code = Code(exception);
        var text = $"{(code is null ? "" : (int)code + " ")}{status?.Reason ?? code?.ToString() ?? "Failure"}: {status?.Message ?? Body(exception)}";
        if (status?.Details?.Causes is { Count: > 0 } causes)
        {
            text += " [" + string.Join("; ", causes.Select(c => $"{c.Field}: {c.Message}")) + "]";
        }

        return exception is HttpOperationException { Request: { } request } ? $"{request.Method} {request.RequestUri}: {text}" : text;
    }

    private static string Body(Exception exception) =>
        exception is HttpOperationException { Response.Content: { Length: > 0 } body } ? body.Trim() : "(no message)";
}
