using System.Text;
using Raven.Api.Meta;

namespace Raven.Kube.Client;

/// <summary>Where a resource type lives in the REST API; enough to build every URL a verb needs.</summary>
public record ResourceDescriptor(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    /// <summary>"v1" for the core group, "group/version" otherwise.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Collection path, e.g. /api/v1/namespaces/kube-system/configmaps or /apis/raven.openyurt.io/v1beta1/gateways.</summary>
    public string CollectionPath(string? ns)
    {
        var path = new StringBuilder(Group.Length == 0 ? "/api/" : $"/apis/{Group}/").Append(Version);
        if (Namespaced && !string.IsNullOrEmpty(ns))
        {
            path.Append("/namespaces/").Append(Uri.EscapeDataString(ns));
        }

        return path.Append('/').Append(Plural).ToString();
    }

    /// <summary>Object path, optionally with a subresource such as "status".</summary>
    public string ObjectPath(string name, string? ns, string? subresource = null)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"{Kind}: metadata.name is required", nameof(name));
        }

        if (Namespaced && string.IsNullOrEmpty(ns))
        {
            throw new ArgumentException($"{Kind} '{name}' is namespaced: metadata.namespace is required", nameof(ns));
        }

        var path = CollectionPath(ns) + "/" + Uri.EscapeDataString(name);
        return string.IsNullOrEmpty(subresource) ? path : path + "/" + subresource;
    }
}

/// <summary>A descriptor bound to its C# model, with the accessor generic code uses to reach the object's metadata.</summary>
public sealed record ResourceDescriptor<T>(
    string Group, string Version, string Plural, string Kind, bool Namespaced, Func<T, ObjectMeta> Metadata)
    : ResourceDescriptor(Group, Version, Plural, Kind, Namespaced)
{
    /// <summary>Cache key: "namespace/name" for namespaced objects, "name" otherwise (client-go's MetaNamespaceKeyFunc).</summary>
    public string KeyOf(T item)
    {
        var meta = Metadata(item);
        return string.IsNullOrEmpty(meta.Namespace) ? meta.Name ?? "" : $"{meta.Namespace}/{meta.Name}";
    }
}
