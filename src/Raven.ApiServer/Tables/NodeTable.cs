using System.Text.Json.Nodes;
using static Raven.ApiServer.Tables.TableCells;

namespace Raven.ApiServer.Tables;

/// <summary>kubectl get nodes: NAME STATUS ROLES AGE VERSION, and with -o wide the addresses and system info.</summary>
internal static class NodeTable
{
    private const string RoleLabelPrefix = "node-role.kubernetes.io/";
    private const string LegacyRoleLabel = "kubernetes.io/role";

    public static TableLayout Layout { get; } = new(
    [
        TableColumn.ObjectName,
        new("Status", "string", "The status of the node"),
        new("Roles", "string", "The roles of the node"),
        TableColumn.Age,
        new("Version", "string", "Kubelet Version reported by the node."),
        new("Internal-IP", "string", "List of addresses reachable to the node.", 1),
        new("External-IP", "string", "List of addresses reachable to the node.", 1),
        new("OS-Image", "string", "OS Image reported by the node from /etc/os-release.", 1),
        new("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r'.", 1),
        new("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API.", 1),
    ], Cells);

    private static IReadOnlyList<JsonNode?> Cells(JsonObject node, DateTimeOffset now)
    {
        var status = node["status"];
        var info = status?["nodeInfo"];
        return Row(
            Name(node),
            Status(node),
            Roles(node["metadata"]?["labels"] as JsonObject),
            Age(node, now),
            Text(info, "kubeletVersion") ?? "",
            Address(status, "InternalIP"),
            Address(status, "ExternalIP"),
            OrPlaceholder(Text(info, "osImage"), Unknown),
            OrPlaceholder(Text(info, "kernelVersion"), Unknown),
            OrPlaceholder(Text(info, "containerRuntimeVersion"), Unknown));
    }

    /// <summary>Ready / NotReady from the Ready condition (Unknown without one), plus SchedulingDisabled when cordoned.</summary>
    private static string Status(JsonObject node)
    {
        var parts = new List<string>();
        var ready = Items(node["status"], "conditions").FirstOrDefault(c => Text(c, "type") == "Ready");
        parts.Add(ready is null ? "Unknown" : Text(ready, "status") == "True" ? "Ready" : "NotReady");
        if (Flag(node["spec"], "unschedulable")) parts.Add("SchedulingDisabled");
        return string.Join(",", parts);
    }

    private static string Roles(JsonObject? labels)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels ?? [])
        {
            if (key.StartsWith(RoleLabelPrefix, StringComparison.Ordinal) && key.Length > RoleLabelPrefix.Length)
            {
                roles.Add(key[RoleLabelPrefix.Length..]);
            }
            else if (key == LegacyRoleLabel && JsonPath.Print(value) is { Length: > 0 } role)
            {
                roles.Add(role);
            }
        }

        return roles.Count == 0 ? None : string.Join(",", roles);
    }

    private static string Address(JsonNode? status, string type) =>
        Items(status, "addresses").Where(a => Text(a, "type") == type).Select(a => Text(a, "address")).FirstOrDefault() ?? None;
}
