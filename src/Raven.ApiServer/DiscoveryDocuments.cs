using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>The legacy (unaggregated) discovery documents: /version, /api, /apis, /apis/group and resource lists.</summary>
internal static class DiscoveryDocuments
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] SubresourceVerbs = ["get", "patch", "update"];

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0-raven-embedded",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "dotnet",
        ["compiler"] = "roslyn",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions() => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(),
    };

    public static JsonObject GroupList(ResourceRegistry registry) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(registry.Groups().Select(g => (JsonNode)Group(g.Group, g.Versions)).ToArray()),
    };

    public static JsonObject? GroupDocument(ResourceRegistry registry, string group)
    {
        var found = registry.Groups().FirstOrDefault(g => g.Group == group);
        if (found.Group is null) return null;
        var doc = Group(found.Group, found.Versions);
        doc["kind"] = "APIGroup";
        doc["apiVersion"] = "v1";
        return doc;
    }

    public static JsonObject? ResourceList(ResourceRegistry registry, string group, string version)
    {
        var types = registry.All.Where(t => t.Group == group && t.Serves(version)).ToList();
        if (types.Count == 0) return null;
        var resources = new JsonArray();
        foreach (var t in types)
        {
            var entry = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = t.Virtual
                    ? new JsonArray("create")
                    : new JsonArray(AllVerbs.Where(v => v != "deletecollection" || t != BuiltinResources.Namespaces).Select(v => (JsonNode)v!).ToArray()),
            };
            if (t.ShortNames.Count > 0) entry["shortNames"] = new JsonArray(t.ShortNames.Select(s => (JsonNode)s!).ToArray());
            if (t.Categories.Count > 0) entry["categories"] = new JsonArray(t.Categories.Select(s => (JsonNode)s!).ToArray());
            resources.Add(entry);
            if (t.HasStatus) resources.Add(Subresource(t, "status"));
            if (t.HasApproval) resources.Add(Subresource(t, "approval"));
            if (t.HasToken)
            {
                var token = Subresource(t, "token");
                token["kind"] = "TokenRequest";
                token["group"] = "authentication.k8s.io";
                token["version"] = "v1";
                token["verbs"] = new JsonArray("create");
                resources.Add(token);
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = resources,
        };
    }

    private static JsonObject Subresource(ResourceType t, string name) => new()
    {
        ["name"] = t.Plural + "/" + name,
        ["singularName"] = "",
        ["namespaced"] = t.Namespaced,
        ["kind"] = t.Kind,
        ["verbs"] = new JsonArray(SubresourceVerbs.Select(v => (JsonNode)v!).ToArray()),
    };

    private static JsonObject Group(string group, IReadOnlyList<string> versions)
    {
        JsonObject Gv(string v) => new() { ["groupVersion"] = group + "/" + v, ["version"] = v };
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)Gv(v)).ToArray()),
            ["preferredVersion"] = Gv(versions[0]),
        };
    }
}
