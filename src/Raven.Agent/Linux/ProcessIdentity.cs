using System.Globalization;

namespace Raven.Agent.Linux;

/// <summary>
/// A PID plus the kernel's start time of the process, so a recorded PID that the kernel has since reused for some
/// unrelated process is never signalled.
/// </summary>
public readonly record struct ProcessIdentity(int Pid, ulong StartTime)
{
    /// <summary>The identity of the running process with this PID, or null when none runs (or it is a zombie).</summary>
    public static ProcessIdentity? Of(int pid) => Read(pid, includeZombies: false);

    /// <summary>True while this process is alive.</summary>
    public bool IsAlive => Of(Pid) == this;

    /// <summary>
    /// True while the process table still has this process, alive or as a zombie its parent has not reaped yet
    /// (pgrep still lists it then, and its PID is not free).
    /// </summary>
    public bool IsPresent => Read(Pid, includeZombies: true) == this;

    private static ProcessIdentity? Read(int pid, bool includeZombies)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // Fields after the parenthesised command name (which may itself contain spaces and parentheses): state is
        // field 3 of proc(5), starttime field 22.
        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20 || (!includeZombies && fields[0] is "Z" or "X"))
        {
            return null;
        }

        return new ProcessIdentity(pid, ulong.Parse(fields[19], CultureInfo.InvariantCulture));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Pid} {StartTime}");

    public static ProcessIdentity? Parse(string text)
    {
        var parts = (text ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 2 &&
               int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) &&
               ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? new ProcessIdentity(pid, start)
            : null;
    }
}
