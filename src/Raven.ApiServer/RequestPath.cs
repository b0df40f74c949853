namespace Raven.ApiServer;

/// <summary>A resource URL split into its parts: /api/v1/namespaces/ns/pods/name/status, /apis/g/v/watch/..., etc.</summary>
internal sealed record RequestPath(string Group, string Version, string? Namespace, string Resource, string? Name, string? Subresource, bool WatchPrefix)
{
    /// <summary>Null when the path is not a resource path (discovery, openapi, unknown).</summary>
    public static RequestPath? Parse(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        int rest;
        string group, version;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return null;
        }

        var tail = segments[rest..].Select(Uri.UnescapeDataString).ToArray();
        var watch = false;
        if (tail.Length > 0 && tail[0] == "watch")
        {
            watch = true;
            tail = tail[1..];
        }

        if (tail.Length >= 3 && tail[0] == "namespaces")
        {
            // namespaces/<ns>/status and /finalize address the namespace itself.
            if (tail.Length == 3 && group.Length == 0 && tail[2] is "status" or "finalize")
            {
                return new RequestPath(group, version, null, "namespaces", tail[1], tail[2], watch);
            }

            var ns = tail[1];
            return tail.Length switch
            {
                3 => new RequestPath(group, version, ns, tail[2], null, null, watch),
                4 => new RequestPath(group, version, ns, tail[2], tail[3], null, watch),
                5 => new RequestPath(group, version, ns, tail[2], tail[3], tail[4], watch),
                _ => null,
            };
        }

        return tail.Length switch
        {
            1 => new RequestPath(group, version, null, tail[0], null, null, watch),
            2 => new RequestPath(group, version, null, tail[0], tail[1], null, watch),
            3 => new RequestPath(group, version, null, tail[0], tail[1], tail[2], watch),
            _ => null,
        };
    }
}
