using Raven.Api.Meta;

namespace Raven.Kube.Models;

/// <summary>A top-level Kubernetes object: what generic verbs and informers need from any model.</summary>
public interface IKubeObject
{
    string ApiVersion { get; set; }

    string Kind { get; set; }

    ObjectMeta Metadata { get; set; }
}
