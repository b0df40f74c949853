using System.Net;
using System.Text.Json;
using Raven.Api.Json;
using Raven.Kube.Models;

namespace Raven.Kube.Client;

/// <summary>Maps a failed response (HTTP code + body) to the typed exception callers catch.</summary>
public static class KubeErrors
{
    public static KubeApiException FromResponse(HttpStatusCode code, string body)
    {
        var status = ParseStatus(body) ?? new Status
        {
            Outcome = "Failure",
            Code = (int)code,
            Message = string.IsNullOrWhiteSpace(body) ? code.ToString() : body.Trim(),
        };
        if (status.Code == 0)
        {
            status.Code = (int)code;
        }

        return FromStatus(code, status);
    }

    /// <summary>Also used for ERROR events in a watch stream, whose HTTP code is 200 but whose Status says otherwise.</summary>
    public static KubeApiException FromStatus(HttpStatusCode code, Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var effective = status.Code != 0 ? (HttpStatusCode)status.Code : code;
        return (effective, status.Reason) switch
        {
            (HttpStatusCode.Gone, _) or (_, "Expired") or (_, "Gone") => new KubeExpiredException(effective, status),
            (HttpStatusCode.NotFound, _) => new KubeNotFoundException(effective, status),
            (HttpStatusCode.Conflict, "AlreadyExists") => new KubeAlreadyExistsException(effective, status),
            (HttpStatusCode.Conflict, _) => new KubeConflictException(effective, status),
            (HttpStatusCode.UnprocessableEntity, _) => new KubeInvalidException(effective, status),
            (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, _) => new KubeUnauthorizedException(effective, status),
            _ => new KubeApiException(effective, status),
        };
    }

    private static Status? ParseStatus(string body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
        {
            return null;
        }

        try
        {
            var status = JsonSerializer.Deserialize<Status>(body, RavenJson.Options);
            return status is { Kind: "Status" } ? status : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
