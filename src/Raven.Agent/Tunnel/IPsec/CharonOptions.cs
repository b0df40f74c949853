namespace Raven.Agent.Tunnel.IPsec;

/// <summary>How to run and supervise one agent's private charon.</summary>
public sealed record CharonOptions
{
    /// <summary>
    /// The agent's directory for charon: strongswan.conf, the VICI socket, the log and the recorded PID. Must not lie
    /// under /run: charon runs with a private tmpfs there (its pid file is hard-coded to /var/run/charon.pid).
    /// </summary>
    public required string StateDirectory { get; init; }

    /// <summary>Named network namespace (<c>ip netns exec</c>); null runs in the agent's own namespace.</summary>
    public string? NetworkNamespace { get; init; }

    public string Executable { get; init; } = "/usr/lib/ipsec/charon";

    /// <summary>Which ESP implementation charon loads; <see cref="CharonKernelBackend.Auto"/> probes the kernel.</summary>
    public CharonKernelBackend Backend { get; init; } = CharonKernelBackend.Auto;

    /// <summary>IKE and ESP-in-UDP port (<c>--vpn-bind-port</c>, charon's port_nat_t).</summary>
    public int Port { get; init; } = 4500;

    /// <summary>
    /// How long an unanswered IKE message (a DPD probe included) is retried before the peer is declared dead
    /// (<c>--keep-alive-timeout</c>); IKEv2 has no separate DPD timeout. Zero keeps charon's defaults (~165 s).
    /// </summary>
    public TimeSpan DeadPeerTimeout { get; init; }

    /// <summary>NAT-T keepalive interval, so a NAT in front of this gateway keeps its mapping.</summary>
    public TimeSpan NatKeepalive { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The table kernel-libipsec must put its own routes in (it always installs one per CHILD_SA). No rule ever
    /// selects it: Raven routes tunnel traffic itself (table 9028).
    /// </summary>
    public int LibipsecRouteTable { get; init; } = 9029;

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRestartDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an adopted charon (not our child, so no exit notification) is checked.</summary>
    public TimeSpan AdoptedPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public string ConfigPath => Path.Combine(StateDirectory, "strongswan.conf");

    public string SocketPath => Path.Combine(StateDirectory, "charon.vici");

    public string LogPath => Path.Combine(StateDirectory, "charon.log");

    /// <summary>charon's stdout and stderr (startup failures before its file logger is up).</summary>
    public string StdioPath => Path.Combine(StateDirectory, "charon.stdio");

    /// <summary>The running charon's PID and start time, so a restarted agent adopts it and never signals a reused PID.</summary>
    public string IdentityPath => Path.Combine(StateDirectory, "charon.pid");

    /// <exception cref="IpsecConfigurationException">A path or port is unusable; the message names it.</exception>
    public void Validate()
    {
        if (!Path.IsPathFullyQualified(StateDirectory))
        {
            throw new IpsecConfigurationException($"charon state directory \"{StateDirectory}\" must be an absolute path.");
        }

        var full = Path.GetFullPath(StateDirectory).TrimEnd('/') + "/";
        if (full.StartsWith("/run/", StringComparison.Ordinal) || full.StartsWith("/var/run/", StringComparison.Ordinal))
        {
            throw new IpsecConfigurationException(
                $"charon state directory \"{StateDirectory}\" is under /run, which charon sees as a private tmpfs: use e.g. /var/lib/raven/ipsec.");
        }

        // sun_path holds 108 bytes including the terminating NUL.
        if (System.Text.Encoding.UTF8.GetByteCount(SocketPath) > 107)
        {
            throw new IpsecConfigurationException($"charon VICI socket path \"{SocketPath}\" is longer than a Unix socket allows (107 bytes).");
        }

        if (Port is < 1 or > 65535)
        {
            throw new IpsecConfigurationException($"IPsec port {Port} is not a UDP port.");
        }

        if (LibipsecRouteTable is < 1 or > 0x7fffffff or 253 or 254 or 255)
        {
            throw new IpsecConfigurationException($"libipsec route table {LibipsecRouteTable} must be a free table id, not main/local/default.");
        }
    }
}
