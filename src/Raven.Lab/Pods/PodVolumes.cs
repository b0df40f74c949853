using k8s.Models;

namespace Raven.Lab.Pods;

/// <summary>A bind mount of a pod's private mount namespace: a host path (file or directory) over a container path.</summary>
public sealed record PodMount(string Source, string Target, bool IsFile);

/// <summary>
/// Where a lab pod's volumes come from (pure): hostPath volumes map into the node's own directory under the lab's
/// state (each lab node has a host of its own), except devices, which are the machine's; emptyDir, configMap and
/// secret volumes are directories of the pod; the ServiceAccount's token, ca.crt and namespace are mounted at
/// <see cref="ServiceAccountPath"/>, where in-cluster configuration reads them.
/// </summary>
public static class PodVolumes
{
    public const string ServiceAccountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>The node's stand-in for a host path; devices (hostPath type CharDevice/BlockDevice, or under /dev) stay the machine's.</summary>
    public static string HostPath(string nodeHostRoot, V1HostPathVolumeSource hostPath)
    {
        ArgumentNullException.ThrowIfNull(hostPath);
        return IsDevice(hostPath) ? hostPath.Path : Path.Join(nodeHostRoot, hostPath.Path);
    }

    public static bool IsDevice(V1HostPathVolumeSource hostPath)
    {
        ArgumentNullException.ThrowIfNull(hostPath);
        return hostPath.Type is "CharDevice" or "BlockDevice" || hostPath.Path.StartsWith("/dev/", StringComparison.Ordinal);
    }

    public static bool IsFile(V1HostPathVolumeSource hostPath) => hostPath?.Type is "File" or "FileOrCreate" or "Socket" or "CharDevice" or "BlockDevice";

    public static string VolumeDirectory(string sandbox, string volume) => Path.Join(sandbox, "volumes", volume);

    public static string ServiceAccountDirectory(string sandbox) => Path.Join(sandbox, "serviceaccount");

    public static bool MountsServiceAccount(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Spec.AutomountServiceAccountToken != false;
    }

    /// <summary>The container's mounts in order: its volumeMounts, then the ServiceAccount unless turned off or mounted already.</summary>
    public static IReadOnlyList<PodMount> Mounts(V1Pod pod, V1Container container, string sandbox, string nodeHostRoot)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        var volumes = (pod.Spec.Volumes ?? []).ToDictionary(v => v.Name, StringComparer.Ordinal);
        var mounts = new List<PodMount>();
        foreach (var mount in container.VolumeMounts ?? [])
        {
            if (!volumes.TryGetValue(mount.Name, out var volume))
            {
                throw new ContainerConfigException($"volumeMount {mount.Name}: no such volume in the pod");
            }

            var (source, isFile) = volume switch
            {
                { HostPath: { } host } => (HostPath(nodeHostRoot, host), IsFile(host)),
                { EmptyDir: not null } or { ConfigMap: not null } or { Secret: not null } or { Projected: not null } => (VolumeDirectory(sandbox, volume.Name), false),
                _ => throw new ContainerConfigException($"volume {volume.Name}: the lab's kubelet mounts hostPath, emptyDir, configMap, secret and projected volumes only"),
            };
            if (!string.IsNullOrEmpty(mount.SubPath))
            {
                source = Path.Join(source, mount.SubPath);
                isFile = volume.ConfigMap is not null || volume.Secret is not null;
            }

            mounts.Add(new PodMount(source, mount.MountPath, isFile));
        }

        if (MountsServiceAccount(pod) && mounts.All(m => m.Target != ServiceAccountPath))
        {
            mounts.Add(new PodMount(ServiceAccountDirectory(sandbox), ServiceAccountPath, IsFile: false));
        }

        return mounts;
    }

    /// <summary>The files of a configMap or secret volume: every key, or the listed items at their paths.</summary>
    public static IReadOnlyDictionary<string, string> Files(V1Volume volume, PodObjects objects)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(objects);
        var (data, items, name, optional, kind) = volume switch
        {
            { ConfigMap: { } cm } => (objects.ConfigMaps.GetValueOrDefault(cm.Name), cm.Items, cm.Name, cm.Optional == true, "configmap"),
            { Secret: { } s } => (objects.Secrets.GetValueOrDefault(s.SecretName), s.Items, s.SecretName, s.Optional == true, "secret"),
            _ => (null, null, null, true, ""),
        };
        if (data is null)
        {
            return optional ? new Dictionary<string, string>() : throw new ContainerConfigException($"volume {volume.Name}: {kind} \"{name}\" not found");
        }

        return items is { Count: > 0 }
            ? items.Where(i => data.ContainsKey(i.Key)).ToDictionary(i => i.Path, i => data[i.Key], StringComparer.Ordinal)
            : data.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }
}
