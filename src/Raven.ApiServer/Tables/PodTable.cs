using System.Text.Json.Nodes;
using static Raven.ApiServer.Tables.TableCells;

namespace Raven.ApiServer.Tables;

/// <summary>kubectl get pods: NAME READY STATUS RESTARTS AGE, and IP, NODE, NOMINATED NODE, READINESS GATES with -o wide.</summary>
internal static class PodTable
{
    public static TableLayout Layout { get; } = new(
    [
        TableColumn.ObjectName,
        new("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
        new("Status", "string", "The aggregate status of the containers in this pod."),
        new("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        TableColumn.Age,
        new("IP", "string", "IP address allocated to the pod.", 1),
        new("Node", "string", "Name of the node the pod is assigned to.", 1),
        new("Nominated Node", "string", "Name of the node the scheduler nominated for the pod.", 1),
        new("Readiness Gates", "string", "The readiness gates of the pod that are True, of all.", 1),
    ], Cells);

    private static IReadOnlyList<JsonNode?> Cells(JsonObject pod, DateTimeOffset now)
    {
        var spec = pod["spec"];
        var status = pod["status"];
        var reason = Text(status, "reason") is { Length: > 0 } r ? r : Text(status, "phase") ?? "";
        var restarts = 0L;
        DateTimeOffset? lastRestart = null;
        var initializing = false;
        var initStatuses = Items(status, "initContainerStatuses").ToList();
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var container = initStatuses[i];
            restarts += Integer(container, "restartCount");
            Later(ref lastRestart, container);
            var terminated = container["state"]?["terminated"];
            var waiting = container["state"]?["waiting"];
            if (terminated is not null && Integer(terminated, "exitCode") == 0) continue;
            initializing = true;
            reason = terminated is not null
                ? "Init:" + (Text(terminated, "reason") is { Length: > 0 } why ? why : ExitText(terminated))
                : waiting is not null && Text(waiting, "reason") is { Length: > 0 } wait && wait != "PodInitializing"
                    ? "Init:" + wait
                    : $"Init:{i}/{Items(spec, "initContainers").Count()}";
            break;
        }

        var ready = 0;
        if (!initializing)
        {
            var hasRunning = false;
            foreach (var container in Items(status, "containerStatuses").Reverse())
            {
                restarts += Integer(container, "restartCount");
                Later(ref lastRestart, container);
                var state = container["state"];
                if (Text(state?["waiting"], "reason") is { Length: > 0 } waiting) reason = waiting;
                else if (state?["terminated"] is { } terminated) reason = Text(terminated, "reason") is { Length: > 0 } why ? why : ExitText(terminated);
                else if (Flag(container, "ready") && state?["running"] is not null)
                {
                    hasRunning = true;
                    ready++;
                }
            }

            if (reason == "Completed" && hasRunning)
            {
                reason = Items(status, "conditions").Any(c => Text(c, "type") == "Ready" && Text(c, "status") == "True") ? "Running" : "NotReady";
            }
        }

        var phase = Text(status, "phase");
        if (pod["metadata"]?["deletionTimestamp"] is not null)
        {
            reason = Text(status, "reason") == "NodeLost" ? "Unknown" : phase is "Succeeded" or "Failed" ? reason : "Terminating";
        }

        var restartText = restarts != 0 && lastRestart is { } last ? $"{restarts} ({HumanDuration.Format(now - last)} ago)" : $"{restarts}";
        var ip = Items(status, "podIPs").Select(p => Text(p, "ip")).FirstOrDefault() ?? Text(status, "podIP");
        var gates = Items(spec, "readinessGates").Select(g => Text(g, "conditionType")).ToList();
        var gatesTrue = gates.Count(g => Items(status, "conditions").Any(c => Text(c, "type") == g && Text(c, "status") == "True"));
        return Row(
            Name(pod),
            $"{ready}/{Items(spec, "containers").Count()}",
            reason,
            restartText,
            Age(pod, now),
            OrPlaceholder(ip, None),
            OrPlaceholder(Text(spec, "nodeName"), None),
            OrPlaceholder(Text(status, "nominatedNodeName"), None),
            gates.Count == 0 ? None : $"{gatesTrue}/{gates.Count}");
    }

    private static string ExitText(JsonNode terminated) =>
        Integer(terminated, "signal") is not 0 and var signal ? $"Signal:{signal}" : $"ExitCode:{Integer(terminated, "exitCode")}";

    private static void Later(ref DateTimeOffset? latest, JsonObject container)
    {
        if (Timestamp(Text(container["lastState"]?["terminated"], "finishedAt")) is { } finished && (latest is null || finished > latest))
        {
            latest = finished;
        }
    }
}
