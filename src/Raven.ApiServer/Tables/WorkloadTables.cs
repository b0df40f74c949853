using System.Text.Json.Nodes;
using static Raven.ApiServer.Tables.TableCells;

namespace Raven.ApiServer.Tables;

/// <summary>kubectl's printers for Deployments, DaemonSets, ServiceAccounts and the RBAC bindings.</summary>
internal static class WorkloadTables
{
    private static readonly TableColumn Containers = new("Containers", "string", "Names of each container in the template.", 1);
    private static readonly TableColumn Images = new("Images", "string", "Images referenced by each container in the template.", 1);
    private static readonly TableColumn Selector = new("Selector", "string", "Label selector for pods.", 1);

    public static TableLayout Deployments { get; } = new(
    [
        TableColumn.ObjectName,
        new("Ready", "string", "Number of the pod with ready state"),
        new("Up-to-date", "string", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
        new("Available", "string", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
        TableColumn.Age, Containers, Images, Selector,
    ], (d, now) =>
    {
        var status = d["status"];
        var desired = d["spec"]?["replicas"] is null ? 1 : Integer(d["spec"], "replicas");
        return Row(Name(d), $"{Integer(status, "readyReplicas")}/{desired}", Integer(status, "updatedReplicas"), Integer(status, "availableReplicas"),
            Age(d, now), ContainerNames(d), ContainerImages(d), SelectorText(d));
    });

    public static TableLayout DaemonSets { get; } = new(
    [
        TableColumn.ObjectName,
        new("Desired", "integer", "The desired number of daemon pods."),
        new("Current", "integer", "The number of nodes running at least one daemon pod."),
        new("Ready", "integer", "The number of nodes running a ready daemon pod."),
        new("Up-to-date", "integer", "The number of nodes running the updated daemon pod spec."),
        new("Available", "integer", "The number of nodes running an available daemon pod."),
        new("Node Selector", "string", "The node selector of the daemon pods."),
        TableColumn.Age, Containers, Images, Selector,
    ], (ds, now) =>
    {
        var status = ds["status"];
        var nodeSelector = ds["spec"]?["template"]?["spec"]?["nodeSelector"] as JsonObject;
        var selectorText = nodeSelector is { Count: > 0 } ? string.Join(",", nodeSelector.Select(kv => $"{kv.Key}={kv.Value}")) : None;
        return Row(Name(ds), Integer(status, "desiredNumberScheduled"), Integer(status, "currentNumberScheduled"), Integer(status, "numberReady"),
            Integer(status, "updatedNumberScheduled"), Integer(status, "numberAvailable"), selectorText, Age(ds, now),
            ContainerNames(ds), ContainerImages(ds), SelectorText(ds));
    });

    public static TableLayout ServiceAccounts { get; } = new(
        [TableColumn.ObjectName, new("Secrets", "string", "The number of secrets of the service account."), TableColumn.Age],
        (sa, now) => Row(Name(sa), Items(sa, "secrets").Count(), Age(sa, now)));

    public static TableLayout Bindings { get; } = new(
    [
        TableColumn.ObjectName,
        new("Role", "string", "The role the binding grants."),
        TableColumn.Age,
        new("Users", "string", "Users in the binding.", 1),
        new("Groups", "string", "Groups in the binding.", 1),
        new("ServiceAccounts", "string", "ServiceAccounts in the binding.", 1),
    ], (b, now) => Row(Name(b), $"{Text(b["roleRef"], "kind")}/{Text(b["roleRef"], "name")}", Age(b, now),
        Subjects(b, "User"), Subjects(b, "Group"), Subjects(b, "ServiceAccount")));

    private static string Subjects(JsonObject binding, string kind) => string.Join(", ", Items(binding, "subjects")
        .Where(s => Text(s, "kind") == kind)
        .Select(s => kind == "ServiceAccount" ? $"{Text(s, "namespace") ?? ""}/{Text(s, "name")}" : Text(s, "name") ?? ""));

    private static IEnumerable<JsonObject> TemplateContainers(JsonObject obj) => Items(obj["spec"]?["template"]?["spec"], "containers");

    private static string ContainerNames(JsonObject obj) => string.Join(",", TemplateContainers(obj).Select(c => Text(c, "name") ?? ""));

    private static string ContainerImages(JsonObject obj) => string.Join(",", TemplateContainers(obj).Select(c => Text(c, "image") ?? ""));

    private static string SelectorText(JsonObject obj) =>
        obj["spec"]?["selector"]?["matchLabels"] is JsonObject labels && labels.Count > 0
            ? string.Join(",", labels.Select(kv => $"{kv.Key}={kv.Value}"))
            : None;
}
