namespace Raven.Lab.Pods;

/// <summary>
/// The ConfigMaps and Secrets of the pod's namespace a kubelet resolves env and volumes from (data already decoded),
/// by name; a name that is missing here does not exist.
/// </summary>
public sealed record PodObjects(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ConfigMaps,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Secrets)
{
    public static PodObjects None { get; } = new(
        new Dictionary<string, IReadOnlyDictionary<string, string>>(), new Dictionary<string, IReadOnlyDictionary<string, string>>());
}
