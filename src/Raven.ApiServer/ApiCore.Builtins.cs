using System.Net;
using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>What the built-in controllers and registries of a real cluster would add: IPs, phases, CRD serving, CSR signing.</summary>
internal sealed partial class ApiCore
{
    private void PrepareBuiltinCreate(ResourceType type, JsonObject obj, WriteOptions options)
    {
        if (type == BuiltinResources.Namespaces)
        {
            obj["status"] = new JsonObject { ["phase"] = "Active" };
        }
        else if (type == BuiltinResources.Pods && obj["status"]?["phase"] is null)
        {
            var status = obj["status"] as JsonObject ?? new JsonObject();
            status["phase"] = "Pending";
            obj["status"] = status;
        }
        else if (type == BuiltinResources.Services)
        {
            AssignClusterIp(obj, null);
        }
        else if (type == BuiltinResources.CustomResourceDefinitions)
        {
            PrepareCrd(obj);
        }
        else if (type == BuiltinResources.CertificateSigningRequests)
        {
            obj["status"] ??= new JsonObject();
            RecordRequester(obj, options.User);
        }
        else if (type == BuiltinResources.Secrets && string.IsNullOrEmpty(ObjectMeta.Text(obj, "type")))
        {
            obj["type"] = "Opaque";
        }
    }

    /// <summary>
    /// A CSR names who asked for it: the requester, as on a real server. The admin (which stands for every
    /// component in tests) may name someone else, e.g. a node, and keeps what it wrote.
    /// </summary>
    private static void RecordRequester(JsonObject csr, Auth.UserInfo user)
    {
        var spec = csr["spec"] as JsonObject ?? new JsonObject();
        csr["spec"] = spec;
        if (user.IsSuperuser && !string.IsNullOrEmpty(ObjectMeta.Text(spec, "username"))) return;
        spec["username"] = user.Name;
        spec["groups"] = new JsonArray(user.Groups.Select(g => (JsonNode)g!).ToArray());
        if (user.Uid.Length > 0) spec["uid"] = user.Uid;
        else spec.Remove("uid");
    }

    private void PrepareBuiltinUpdate(ResourceType type, JsonObject obj, JsonObject old)
    {
        if (type == BuiltinResources.RoleBindings || type == BuiltinResources.ClusterRoleBindings)
        {
            if (!JsonNode.DeepEquals(obj["roleRef"], old["roleRef"]))
            {
                throw ApiException.Invalid(type, ObjectMeta.Text(ObjectMeta.Of(obj), "name") ?? "",
                    [new FieldError("roleRef", $"Invalid value: {obj["roleRef"]?.ToJsonString() ?? "null"}: cannot change roleRef")]);
            }
        }

        if (type == BuiltinResources.Services)
        {
            AssignClusterIp(obj, old);
        }
        else if (type == BuiltinResources.CustomResourceDefinitions)
        {
            PrepareCrd(obj);
        }
    }

    private void AfterWrite(ResourceType type, StoredObject stored, string? subresource)
    {
        if (type == BuiltinResources.CustomResourceDefinitions)
        {
            RegisterCrd(stored.Parse());
        }
        else if (type == BuiltinResources.CertificateSigningRequests && subresource == "approval")
        {
            var csr = stored.Parse();
            if (_signer.TrySign(csr))
            {
                ObjectMeta.KeepSystemFields(csr, stored.Parse());
                _store.Put(type.TypeKey, csr);
            }
        }
    }

    /// <summary>What a write would store, without storing it; a cluster IP it took is given back.</summary>
    private StoredObject DryRunResult(ResourceType type, JsonObject obj, JsonObject? old)
    {
        if (type == BuiltinResources.Services)
        {
            var ip = ObjectMeta.Text(obj["spec"] as JsonObject ?? [], "clusterIP");
            var oldIp = old?["spec"] is JsonObject oldSpec ? ObjectMeta.Text(oldSpec, "clusterIP") : null;
            if (ip != oldIp) _clusterIps.Release(ip);
        }

        var facts = ObjectFacts.From(type.TypeKey, obj);
        return new StoredObject(type.TypeKey, StoredObject.KeyOf(facts.Namespace, facts.Name), obj.ToJsonString(), 0, facts);
    }

    private void AssignClusterIp(JsonObject obj, JsonObject? old)
    {
        var spec = obj["spec"] as JsonObject ?? new JsonObject();
        obj["spec"] = spec;
        var serviceType = ObjectMeta.Text(spec, "type") ?? "ClusterIP";
        spec["type"] = serviceType;
        var oldIp = old?["spec"] is JsonObject oldSpec ? ObjectMeta.Text(oldSpec, "clusterIP") : null;
        var requested = ObjectMeta.Text(spec, "clusterIP");
        if (serviceType == "ExternalName") return;
        if (string.IsNullOrEmpty(requested) && !string.IsNullOrEmpty(oldIp))
        {
            requested = oldIp;
        }
        else if (string.IsNullOrEmpty(requested))
        {
            requested = _clusterIps.Allocate();
        }
        else if (requested != "None" && requested != oldIp)
        {
            if (!IPAddress.TryParse(requested, out _))
            {
                throw ApiException.Invalid(BuiltinResources.Services, ObjectMeta.Text(ObjectMeta.Of(obj), "name") ?? "",
                    [new FieldError("spec.clusterIP", $"Invalid value: \"{requested}\": must be a valid IP address")]);
            }

            if (_clusterIps.IsUsed(requested))
            {
                throw ApiException.Invalid(BuiltinResources.Services, ObjectMeta.Text(ObjectMeta.Of(obj), "name") ?? "",
                    [new FieldError("spec.clusterIP", $"Invalid value: \"{requested}\": provided IP is already allocated")]);
            }

            _clusterIps.MarkUsed(requested);
        }

        spec["clusterIP"] = requested;
        spec["clusterIPs"] = new JsonArray(requested);
    }
}
