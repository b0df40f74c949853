using System.Globalization;

namespace Raven.Agent.Linux;

/// <summary>
/// A PID plus the kernel's start time of the process, so a recorded PID that the kernel has since reused for some
/// unrelated process is never signalled.
/// </summary>
public readonly record struct ProcessIdentity(int Pid, ulong StartTime)
{
    /// <summary>The identity of the running process with this PID, or null when none runs (or it is a zombie).</summary>
    public static ProcessIdentity? Of(int pid)
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
        if (fields.Length < 20 || fields[0] is "Z" or "X")
        {
            return null;
        }

        return new ProcessIdentity(pid, ulong.Parse(fields[19], CultureInfo.InvariantCulture));
    }

    /// <summary>True while this very process (same PID and start time) is alive.</summary>
    public bool IsAlive => Of(Pid) == this;

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
