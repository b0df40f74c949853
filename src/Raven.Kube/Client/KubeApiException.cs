using System.Net;
using Raven.Kube.Models;

namespace Raven.Kube.Client;

/// <summary>The API server refused a request; <see cref="Status"/> is its explanation.</summary>
public class KubeApiException : Exception
{
    public KubeApiException(HttpStatusCode statusCode, Status status)
        : base(Describe(statusCode, status))
    {
        StatusCode = statusCode;
        Status = status;
    }

    public KubeApiException()
        : this(HttpStatusCode.InternalServerError, new Status())
    {
    }

    public KubeApiException(string message)
        : base(message)
    {
        Status = new Status { Message = message };
    }

    public KubeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = new Status { Message = message };
    }

    public HttpStatusCode StatusCode { get; }

    public Status Status { get; }

    /// <summary>Machine-readable reason, e.g. NotFound, Conflict, AlreadyExists, Invalid, Expired.</summary>
    public string Reason => Status.Reason ?? "";

    public int Code => Status.Code != 0 ? Status.Code : (int)StatusCode;

    /// <summary>Per-field causes (field, message) from details.causes, e.g. for Invalid.</summary>
    public IReadOnlyList<StatusCause> Causes => Status.Details?.Causes ?? [];

    private static string Describe(HttpStatusCode code, Status status)
    {
        var text = $"{(int)code} {status.Reason ?? code.ToString()}: {status.Message ?? "(no message)"}";
        var causes = status.Details?.Causes;
        if (causes is { Count: > 0 })
        {
            text += " [" + string.Join("; ", causes.Select(c => $"{c.Field}: {c.Message}")) + "]";
        }

        return text;
    }
}

/// <summary>404: the object (or its namespace) does not exist.</summary>
public sealed class KubeNotFoundException(HttpStatusCode statusCode, Status status) : KubeApiException(statusCode, status);

/// <summary>409 Conflict: the object changed since it was read (stale resourceVersion); re-read and retry.</summary>
public sealed class KubeConflictException(HttpStatusCode statusCode, Status status) : KubeApiException(statusCode, status);

/// <summary>409 AlreadyExists: create of a name that is taken.</summary>
public sealed class KubeAlreadyExistsException(HttpStatusCode statusCode, Status status) : KubeApiException(statusCode, status);

/// <summary>410 Gone / reason Expired: the requested resourceVersion is too old; relist.</summary>
public sealed class KubeExpiredException(HttpStatusCode statusCode, Status status) : KubeApiException(statusCode, status);

/// <summary>422 Invalid: the object failed validation; <see cref="KubeApiException.Causes"/> names the fields.</summary>
public sealed class KubeInvalidException(HttpStatusCode statusCode, Status status) : KubeApiException(statusCode, status);

/// <summary>401 or 403: the credentials are missing, wrong, or not allowed to do this.</summary>
public sealed class KubeUnauthorizedException(HttpStatusCode statusCode, Status status) : KubeApiException(statusCode, status);
