namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>The daemon answered a UAPI request with a non-zero <c>errno</c>.</summary>
public sealed class UapiException : IOException
{
    public UapiException(string operation, string socketPath, int errno)
        : base($"WireGuard UAPI {operation} on {socketPath} failed: errno={errno}{Describe(errno)}.")
    {
        Operation = operation;
        SocketPath = socketPath;
        Errno = errno;
    }

    public UapiException()
    {
        Operation = "";
        SocketPath = "";
    }

    public UapiException(string message)
        : base(message)
    {
        Operation = "";
        SocketPath = "";
    }

    public UapiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = "";
        SocketPath = "";
    }

    /// <summary><c>get</c> or <c>set</c>.</summary>
    public string Operation { get; }

    public string SocketPath { get; }

    /// <summary>As sent by the daemon; wireguard-go sends negative values (e.g. -22 for EINVAL).</summary>
    public int Errno { get; }

    private static string Describe(int errno) => Math.Abs(errno) switch
    {
        1 => " (EPERM)",
        5 => " (EIO: the daemon could not apply the configuration)",
        22 => " (EINVAL: the daemon rejected a key or value)",
        98 => " (EADDRINUSE: listen port in use)",
        _ => "",
    };
}
