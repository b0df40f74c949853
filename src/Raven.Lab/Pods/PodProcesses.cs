using System.Globalization;
using Raven.Agent.Linux.Processes;

namespace Raven.Lab.Pods;

/// <summary>
/// A lab pod's processes: the container's process and whatever it started (wireguard-go, charon) share the pod's
/// private mount namespace, which is how the lab finds them all, as a container runtime finds its cgroup's.
/// </summary>
public static class PodProcesses
{
    /// <summary>The mount namespace of a process (e.g. "mnt:[4026532]"), or null once it is gone.</summary>
    public static string? MountNamespace(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/ns/mnt").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Every live process in that mount namespace.</summary>
    public static IReadOnlyList<int> In(string mountNamespace) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && MountNamespace(pid) == mountNamespace)
            .ToList();

    /// <summary>SIGKILLs every process of the namespace, as a container runtime tears down a container's cgroup.</summary>
    public static void KillAll(string? mountNamespace)
    {
        // Never our own namespace: a container process that has not unshared yet still shares the kubelet's.
        if (mountNamespace is null || mountNamespace == MountNamespace(Environment.ProcessId))
        {
            return;
        }

        foreach (var pid in In(mountNamespace))
        {
            ProcessSignals.Send(pid, ProcessSignals.SigKill);
        }
    }
}
