namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>How to run and supervise one wireguard-go daemon.</summary>
public sealed record WireGuardGoOptions
{
    /// <summary>The TUN interface wireguard-go creates, e.g. <c>raven-wg0</c>.</summary>
    public required string InterfaceName { get; init; }

    /// <summary>Named network namespace (<c>ip netns exec</c>); null runs in the agent's own namespace.</summary>
    public string? NetworkNamespace { get; init; }

    public string Executable { get; init; } = "wireguard-go";

    /// <summary>Where the daemon's UAPI socket appears; wireguard-go itself always uses /var/run/wireguard.</summary>
    public string SocketDirectory { get; init; } = UapiSocket.DefaultDirectory;

    /// <summary>
    /// Where the daemon's stdout and stderr are appended. Not a pipe to the agent: a Go program dies of SIGPIPE on
    /// its next log line once the reading end is gone, so a pipe would take the data plane down with the agent.
    /// </summary>
    public string LogFile { get; init; } = "/dev/null";

    /// <summary>Value of wireguard-go's LOG_LEVEL (silent, error, verbose).</summary>
    public string LogLevel { get; init; } = "error";

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRestartDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an adopted daemon (not our child, so no exit notification) is checked.</summary>
    public TimeSpan AdoptedPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public string SocketPath => UapiSocket.PathFor(InterfaceName, SocketDirectory);
}
