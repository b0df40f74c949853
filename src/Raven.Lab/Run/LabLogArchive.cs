namespace Raven.Lab.Run;

/// <summary>
/// Copies a lab's logs out of its state directory before the lab is taken down, so a failed run (a test, `raven lab
/// up --check-only`) can still be read afterwards.
/// </summary>
public static class LabLogArchive
{
    /// <summary>The copy's directory (under the temporary directory, named by prefix, time and outcome); null when the lab has no logs.</summary>
    public static string? Keep(LabRunner lab, bool passed)
    {
        ArgumentNullException.ThrowIfNull(lab);
        if (!Directory.Exists(lab.Paths.Logs))
        {
            return null;
        }

        var kept = Path.Join(Path.GetTempPath(), $"{lab.Topology.Names.Prefix}logs-{DateTime.UtcNow:yyyyMMdd-HHmmss}{(passed ? "" : "-failed")}");
        Directory.CreateDirectory(kept);
        foreach (var file in Directory.EnumerateFiles(lab.Paths.Logs, "*", SearchOption.AllDirectories))
        {
            var target = Path.Join(kept, Path.GetRelativePath(lab.Paths.Logs, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        return kept;
    }
}
