using Raven.Agent.Linux;
using Raven.Agent.Linux.Processes;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>
/// Finds the PID of the daemon behind a UAPI socket from the kernel's peer credentials (SO_PEERCRED), so an
/// adopted daemon can still be watched and stopped by PID. A PID is trusted only while /proc shows a wireguard-go
/// for the same interface, so a recycled PID is never signalled.
/// </summary>
internal static class DaemonIdentity
{
    /// <summary>The PID of the wireguard-go answering on the interface's socket, or null if unknown.</summary>
    public static int? FindRunningPid(WireGuardGoOptions options)
    {
        // The listener's PID is the daemon when it was started in the foreground (a self-daemonised wireguard-go
        // reports its exited parent).
        var pid = UnixSocketPeer.ProcessIdOf(options.SocketPath);
        return pid is { } p && IsOurDaemon(options, p) ? p : null;
    }

    public static bool IsOurDaemon(WireGuardGoOptions options, int pid)
    {
        var commandLine = ProcessSignals.CommandLine(pid);
        return commandLine is { Count: >= 2 }
            && Path.GetFileName(commandLine[0]) == Path.GetFileName(options.Executable)
            && commandLine[^1] == options.InterfaceName;
    }
}
