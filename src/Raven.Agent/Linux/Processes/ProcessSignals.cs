using System.Runtime.InteropServices;

namespace Raven.Agent.Linux.Processes;

/// <summary>Signals and liveness checks by PID, for processes that are not (or no longer) our children.</summary>
public static partial class ProcessSignals
{
    public const int SigInt = 2;
    public const int SigTerm = 15;
    public const int SigKill = 9;
    private const int NoSuchProcess = 3;

    /// <summary>Sends a signal; false when the process no longer exists.</summary>
    public static bool Send(int pid, int signal)
    {
        if (Kill(pid, signal) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == NoSuchProcess
            ? false
            : throw new IOException($"kill({pid}, {signal}) failed: errno {errno}.");
    }

    public static bool Exists(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>The NUL-separated command line of a process, or null if it is gone.</summary>
    public static IReadOnlyList<string>? CommandLine(int pid)
    {
        try
        {
            var raw = File.ReadAllText($"/proc/{pid}/cmdline");
            return raw.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
