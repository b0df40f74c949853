using System.Text.Json.Nodes;
using static Raven.ApiServer.Tables.TableCells;

namespace Raven.ApiServer.Tables;

/// <summary>kubectl get services: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, and SELECTOR with -o wide.</summary>
internal static class ServiceTable
{
    public static TableLayout Layout { get; } = new(
    [
        TableColumn.ObjectName,
        new("Type", "string", "type determines how the Service is exposed."),
        new("Cluster-IP", "string", "clusterIP is the IP address of the service."),
        new("External-IP", "string", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
        new("Port(s)", "string", "The list of ports that are exposed by this service."),
        TableColumn.Age,
        new("Selector", "string", "Route service traffic to pods with label keys and values matching this selector.", 1),
    ], Cells);

    private static IReadOnlyList<JsonNode?> Cells(JsonObject service, DateTimeOffset now)
    {
        var spec = service["spec"];
        var clusterIp = Strings(spec, "clusterIPs").FirstOrDefault() ?? Text(spec, "clusterIP");
        var ports = string.Join(",", Items(spec, "ports").Select(Port));
        return Row(
            Name(service),
            Text(spec, "type") ?? "",
            OrPlaceholder(clusterIp, None),
            ExternalIp(service),
            OrPlaceholder(ports, None),
            Age(service, now),
            Pairs(spec?["selector"]));
    }

    private static string Port(JsonObject port)
    {
        var protocol = Text(port, "protocol") ?? "TCP";
        var nodePort = Integer(port, "nodePort");
        return nodePort > 0 ? $"{Integer(port, "port")}:{nodePort}/{protocol}" : $"{Integer(port, "port")}/{protocol}";
    }

    private static string ExternalIp(JsonObject service)
    {
        var spec = service["spec"];
        var external = Strings(spec, "externalIPs").ToList();
        switch (Text(spec, "type"))
        {
            case "ClusterIP":
            case "NodePort":
                return external.Count > 0 ? string.Join(",", external) : None;
            case "LoadBalancer":
                var ingress = Items(service["status"]?["loadBalancer"], "ingress")
                    .Select(i => Text(i, "ip") is { Length: > 0 } ip ? ip : Text(i, "hostname") ?? "")
                    .Where(a => a.Length > 0).ToList();
                var all = ingress.Concat(external).ToList();
                return all.Count > 0 ? string.Join(",", all) : "<pending>";
            case "ExternalName":
                return Text(spec, "externalName") ?? "";
            default:
                return Unknown;
        }
    }
}
