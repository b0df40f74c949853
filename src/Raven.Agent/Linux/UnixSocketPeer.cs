using System.Net.Sockets;

namespace Raven.Agent.Linux;

/// <summary>
/// Who listens on a Unix stream socket, from the kernel's peer credentials (SO_PEERCRED): the PID of the process
/// that created the listening socket. Lets a restarted agent find the daemon behind a control socket it did not start.
/// </summary>
public static class UnixSocketPeer
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>The listener's PID, or null when nothing accepts connections on the socket.</summary>
    public static int? ProcessIdOf(string socketPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(socketPath);
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));

            // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
            Span<byte> credentials = stackalloc byte[12];
            socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
            var pid = BitConverter.ToInt32(credentials[..4]);
            return pid > 0 ? pid : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
