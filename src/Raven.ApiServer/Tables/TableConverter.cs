using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Raven.ApiServer.Tables;

/// <summary>
/// Server-side tables (meta.k8s.io/v1 Table) for kubectl get: the columns a real API server prints for the built-in
/// kinds, and a CRD version's additionalPrinterColumns. Every column travels with its priority, so kubectl decides
/// what -o wide adds. Kinds without a layout answer plain JSON, which kubectl prints as NAME / AGE.
/// </summary>
internal static class TableConverter
{
    private static readonly Dictionary<string, TableLayout> Builtin = new(StringComparer.Ordinal)
    {
        [BuiltinResources.Nodes.TypeKey] = NodeTable.Layout,
        [BuiltinResources.Services.TypeKey] = ServiceTable.Layout,
        [BuiltinResources.Pods.TypeKey] = PodTable.Layout,
        [BuiltinResources.Events.TypeKey] = EventTable.Layout,
        [BuiltinResources.ConfigMaps.TypeKey] = SimpleTables.ConfigMaps,
        [BuiltinResources.Secrets.TypeKey] = SimpleTables.Secrets,
        [BuiltinResources.Namespaces.TypeKey] = SimpleTables.Namespaces,
        [BuiltinResources.Leases.TypeKey] = SimpleTables.Leases,
        [BuiltinResources.Endpoints.TypeKey] = SimpleTables.Endpoints,
        [BuiltinResources.EndpointSlices.TypeKey] = SimpleTables.EndpointSlices,
        [BuiltinResources.CertificateSigningRequests.TypeKey] = SimpleTables.CertificateSigningRequests,
        [BuiltinResources.CustomResourceDefinitions.TypeKey] = SimpleTables.CreatedAt,
        [BuiltinResources.Roles.TypeKey] = SimpleTables.CreatedAt,
        [BuiltinResources.ClusterRoles.TypeKey] = SimpleTables.CreatedAt,
        [BuiltinResources.RoleBindings.TypeKey] = WorkloadTables.Bindings,
        [BuiltinResources.ClusterRoleBindings.TypeKey] = WorkloadTables.Bindings,
        [BuiltinResources.Deployments.TypeKey] = WorkloadTables.Deployments,
        [BuiltinResources.DaemonSets.TypeKey] = WorkloadTables.DaemonSets,
        [BuiltinResources.ServiceAccounts.TypeKey] = WorkloadTables.ServiceAccounts,
    };

    public static bool Applies(HttpRequest request, ResourceType type, string version) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("as=Table", StringComparison.Ordinal)) && Layout(type, version) is not null;

    public static TableLayout? Layout(ResourceType type, string version) =>
        type.IsCustom ? CustomResourceTable.For(type, version) : Builtin.GetValueOrDefault(type.TypeKey);

    public static JsonObject Table(ResourceType type, string version, IEnumerable<JsonObject> objects, JsonObject? listMeta,
        bool includeObject, bool includeColumns, TimeProvider clock)
    {
        var layout = Layout(type, version) ?? throw new InvalidOperationException($"{type.QualifiedPlural} has no table layout");
        var now = clock.GetUtcNow();
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var rowObject = includeObject
                ? obj.DeepClone()
                : new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = obj["metadata"]?.DeepClone() };
            rows.Add(new JsonObject { ["cells"] = new JsonArray([.. layout.Cells(obj, now)]), ["object"] = rowObject });
        }

        var table = new JsonObject { ["kind"] = "Table", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = listMeta ?? new JsonObject() };
        if (includeColumns) table["columnDefinitions"] = new JsonArray([.. layout.Columns.Select(c => (JsonNode)c.ToJson())]);
        table["rows"] = rows;
        return table;
    }
}
