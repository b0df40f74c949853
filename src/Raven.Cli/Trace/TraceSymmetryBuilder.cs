namespace Raven.Cli.Trace;

/// <summary>
/// Pure: the request's route and its reply's → whether the reply takes the mirror path, and if not each difference
/// with the report or plan it rests on. Replies may differ: one side may already go direct over a punched path while
/// the other still relays, each side's agent may see a different serving endpoint for the other domain, and a hot
/// standby sends its own traffic through its own tunnel.
/// </summary>
internal static class TraceSymmetryBuilder
{
    public static TraceSymmetry Compare(TraceEnd from, TraceEnd to, TraceRoute request, TraceRoute reply,
        IReadOnlyList<TraceHop> requestHops, IReadOnlyList<TraceHop> replyHops)
    {
        var requestFail = requestHops.FirstOrDefault(h => h.Health == TraceHealth.Fail);
        var replyFail = replyHops.FirstOrDefault(h => h.Health == TraceHealth.Fail);
        if (requestFail is not null || replyFail is not null)
        {
            var differences = new[]
            {
                requestFail is null ? null : $"the request stops at {requestFail.Kind} {requestFail.Name}: {requestFail.Reason}",
                replyFail is null ? null : $"the reply stops at {replyFail.Kind} {replyFail.Name}: {replyFail.Reason}",
            }.OfType<string>().ToList();
            var summary = (requestFail, replyFail) switch
            {
                ({ }, { }) => "neither direction gets through",
                ({ }, null) => "the request does not get through; a reply would",
                _ => "asymmetric: the request gets through, its reply does not",
            };
            return new TraceSymmetry(false, summary, differences);
        }

        if (request.Kind != reply.Kind)
        {
            return new TraceSymmetry(false, $"asymmetric: the request crosses by {request.Kind}, the reply by {reply.Kind}",
                [$"the request crosses by {request.Kind}, the reply by {reply.Kind}"]);
        }

        switch (request.Kind)
        {
            case TraceRoute.SameNode:
                return new TraceSymmetry(true, "symmetric: the reply stays on the node too", []);
            case TraceRoute.Lan:
                return new TraceSymmetry(true, $"symmetric: the reply crosses {from.Gateway}'s LAN back", []);
            case TraceRoute.L7:
                return new TraceSymmetry(true, "symmetric: the reply comes back over the proxied connections the request opened (the L7 proxy is connection-oriented)", []);
        }

        var found = new List<(string Short, string Long)>();
        if (request.Egress != reply.Ingress)
        {
            found.Add(($"{from.Gateway}: the request leaves through {request.Egress}, the reply enters at {reply.Ingress}",
                $"{from.Gateway}: the request leaves through {request.Egress} ({request.EgressWhy}), the reply enters at {reply.Ingress} ({reply.IngressWhy})"));
        }

        if (request.Ingress != reply.Egress)
        {
            found.Add(($"{to.Gateway}: the request enters at {request.Ingress}, the reply leaves through {reply.Egress}",
                $"{to.Gateway}: the request enters at {request.Ingress} ({request.IngressWhy}), the reply leaves through {reply.Egress} ({reply.EgressWhy})"));
        }

        if (request.Path != reply.Path || request.Relay != reply.Relay)
        {
            found.Add(($"the request goes {request.PathText}, the reply {reply.PathText}",
                $"the request goes {request.PathText} ({request.PathWhy}), the reply {reply.PathText} ({reply.PathWhy})"));
        }

        return found.Count == 0
            ? new TraceSymmetry(true, $"symmetric: the reply takes the mirror path ({Describe(reply)})", [])
            : new TraceSymmetry(false, "asymmetric: " + string.Join("; ", found.Select(f => f.Short)), [.. found.Select(f => f.Long)]);
    }

    private static string Describe(TraceRoute route) =>
        route.Relay is { } relay ? $"{route.Egress} -> {relay} -> {route.Ingress}, {route.PathText}" : $"{route.Egress} -> {route.Ingress}, {route.PathText}";
}
