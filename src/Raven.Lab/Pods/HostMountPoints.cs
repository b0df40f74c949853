namespace Raven.Lab.Pods;

/// <summary>
/// A bind mount needs its target to exist, and a pod's mount namespace starts as a copy of the machine's, so a
/// target the machine lacks (/var/run/secrets/kubernetes.io/serviceaccount, /var/lib/raven) is created on the
/// machine — empty, and only that — and recorded in a file, so `lab down` removes exactly what the lab created.
/// </summary>
public static class HostMountPoints
{
    public static void Ensure(string target, bool isFile, string recordFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (isFile ? File.Exists(target) : Directory.Exists(target))
        {
            return;
        }

        // Record the outermost directory that did not exist yet: removing it removes everything below.
        var missing = target;
        for (var parent = Path.GetDirectoryName(target); parent is not null && !Directory.Exists(parent); parent = Path.GetDirectoryName(parent))
        {
            missing = parent;
        }

        // A missing file target is left behind (the lock files iptables would create anyway, whose removal could
        // split a lock other processes hold); directories are recorded for removal.
        if (missing != target || !isFile)
        {
            File.AppendAllText(recordFile, missing + "\n");
        }

        if (isFile)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var _ = new FileStream(target, FileMode.OpenOrCreate);
        }
        else
        {
            Directory.CreateDirectory(target);
        }
    }

    /// <summary>Removes what <see cref="Ensure"/> created, only while it is still empty (an empty file, empty directories).</summary>
    public static void RemoveCreated(string recordFile)
    {
        if (!File.Exists(recordFile))
        {
            return;
        }

        foreach (var path in File.ReadAllLines(recordFile).Where(l => l.Length > 1).Distinct(StringComparer.Ordinal).OrderByDescending(p => p.Length))
        {
            try
            {
                if (File.Exists(path) && new FileInfo(path).Length == 0)
                {
                    File.Delete(path);
                }
                else if (Directory.Exists(path) && IsEmptyTree(path))
                {
                    Directory.Delete(path, recursive: true);
                }
            }
            catch (IOException)
            {
                // in use by a pod of another lab: it stays
            }
        }

        File.Delete(recordFile);
    }

    private static bool IsEmptyTree(string directory) =>
        !Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Any();
}
