using System.Globalization;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>
/// The optional PID file of a supervised daemon. A PID read back is trusted only while /proc shows a wireguard-go
/// for the same interface, so a recycled PID is never signalled.
/// </summary>
internal static class PidFileOwner
{
    public static void Write(WireGuardGoOptions options, int pid)
    {
        if (options.PidFile is { } path)
        {
            File.WriteAllText(path, pid.ToString(CultureInfo.InvariantCulture) + "\n");
        }
    }

    public static int? Read(WireGuardGoOptions options)
    {
        if (options.PidFile is not { } path || !File.Exists(path))
        {
            return null;
        }

        return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && IsOurDaemon(options, pid)
                ? pid
                : null;
    }

    public static bool IsOurDaemon(WireGuardGoOptions options, int pid)
    {
        var commandLine = ProcessSignals.CommandLine(pid);
        return commandLine is { Count: >= 2 }
            && Path.GetFileName(commandLine[0]) == Path.GetFileName(options.Executable)
            && commandLine[^1] == options.InterfaceName;
    }
}
