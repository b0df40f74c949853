using System.Net.Sockets;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>
/// Finds the PID of the daemon behind a UAPI socket from the kernel's peer credentials (SO_PEERCRED), so an
/// adopted daemon can still be watched and stopped by PID. A PID is trusted only while /proc shows a wireguard-go
/// for the same interface, so a recycled PID is never signalled.
/// </summary>
internal static class DaemonIdentity
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>The PID of the wireguard-go answering on the interface's socket, or null if unknown.</summary>
    public static int? FindRunningPid(WireGuardGoOptions options)
    {
        int pid;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(options.SocketPath));

            // struct ucred { pid_t pid; uid_t uid; gid_t gid; }: the listener's PID, i.e. the daemon when it was
            // started in the foreground (a self-daemonised wireguard-go reports its exited parent).
            Span<byte> credentials = stackalloc byte[12];
            socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
            pid = BitConverter.ToInt32(credentials[..4]);
        }
        catch (SocketException)
        {
            return null;
        }

        return pid > 0 && IsOurDaemon(options, pid) ? pid : null;
    }

    public static bool IsOurDaemon(WireGuardGoOptions options, int pid)
    {
        var commandLine = ProcessSignals.CommandLine(pid);
        return commandLine is { Count: >= 2 }
            && Path.GetFileName(commandLine[0]) == Path.GetFileName(options.Executable)
            && commandLine[^1] == options.InterfaceName;
    }
}
