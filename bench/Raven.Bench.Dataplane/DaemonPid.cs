using System.Diagnostics;
using System.Net.Sockets;
using Raven.Agent.Tunnel.WireGuard;

namespace Raven.Bench.Dataplane;

/// <summary>
/// PID of the wireguard-go serving one of this benchmark's interfaces: the UAPI socket's peer credentials, trusted
/// only when /proc shows wireguard-go with that interface as its last argument.
/// </summary>
internal static class DaemonPid
{
    public static int? Find(string interfaceName)
    {
        int pid;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(new WireGuardGoOptions { InterfaceName = interfaceName }.SocketPath));
            Span<byte> credentials = stackalloc byte[12];
            socket.GetRawSocketOption(1, 17, credentials); // SOL_SOCKET, SO_PEERCRED → struct ucred
            pid = BitConverter.ToInt32(credentials[..4]);
        }
        catch (SocketException)
        {
            return null;
        }

        string cmdline;
        try
        {
            cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return null;
        }

        var argv = cmdline.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        return argv.Length >= 2 && Path.GetFileName(argv[0]) == "wireguard-go" && argv[^1] == interfaceName ? pid : null;
    }

    public static void Kill(string interfaceName)
    {
        if (Find(interfaceName) is { } pid)
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(5));
        }
    }
}
