using System.Globalization;
using System.Net;
using Raven.Agent.Linux;
using Raven.Api.Net;
using Raven.Kube.Observability;

namespace Raven.Agent.Engine;

/// <summary>
/// Pure: flags (name without "--" → raw text, only those given), environment and kube-system/raven-agent-config →
/// <see cref="AgentOptions"/>. A bad flag throws <see cref="AgentOptionsException"/> naming it; a bad ConfigMap value
/// is reported as a warning and ignored, so one bad object never stops the agent.
/// </summary>
public static class AgentOptionsParser
{
    public const string WireGuardDriver = Tunnel.WireGuard.WireGuardProfile.BackendName;

    public const string PresharedKeyVariable = "VPN_CONNECTION_PSK";

    public static readonly IReadOnlyList<string> KnownFlags =
    [
        "node-name", "node-ip", "kubeconfig", "vpn-driver", "forward-node-ip", "vpn-bind-port", "keep-alive-interval",
        "keep-alive-timeout", "metric-bind-addr", "health-probe-addr", "sync-raven-rules-period", "state-dir",
        "wireguard-interface", "public-ip", "lease-duration", "stop-lease-hold", "route-driver", "sync-raven-rules", VxlanAllowUntrustedUnderlay,
        "failover-probes", "nat-traversal", "hole-punching", UnderlayMtuConfigKey,
    ];

    public const string VxlanAllowUntrustedUnderlay = "vxlan-allow-untrusted-underlay";

    /// <summary>The raven-agent-config key that selects the tunnel backend (the agent's --vpn-driver).</summary>
    public const string VpnDriverConfigKey = "vpn-driver";

    /// <summary>The raven-agent-config key (and flag) that sets the underlay MTU the planner derives every other MTU from.</summary>
    public const string UnderlayMtuConfigKey = "underlay-mtu";

    /// <summary>IPv6's minimum link MTU: below it an IPv6 underlay cannot work, and IPv4 underlays that small are exotic.</summary>
    public const int MinUnderlayMtu = 1280;

    /// <summary>raven-agent-config keys the L3 agent reads (the others belong to the proxy or to NAT traversal).</summary>
    private static readonly Dictionary<string, string> ConfigKeyToFlag = new(StringComparer.Ordinal)
    {
        [VpnDriverConfigKey] = "vpn-driver",
        ["forward-node-ip"] = "forward-node-ip",
        ["metric-bind-addr"] = "metric-bind-addr",
        ["tunnel-bind-addr"] = "vpn-bind-port",
        [VxlanAllowUntrustedUnderlay] = VxlanAllowUntrustedUnderlay,
        [UnderlayMtuConfigKey] = UnderlayMtuConfigKey,
    };

    public static AgentOptions Parse(
        IReadOnlyDictionary<string, string> flags,
        Func<string, string?> environment,
        IReadOnlyDictionary<string, string>? agentConfig,
        ICollection<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var name in flags.Keys.Where(k => !KnownFlags.Contains(k)))
        {
            throw new AgentOptionsException($"--{name}", "unknown flag");
        }

        var options = RequirePresharedKey(Apply(new AgentOptions { NodeName = "" }, flags, environment), "--vpn-driver");
        foreach (var (key, value) in agentConfig ?? new Dictionary<string, string>())
        {
            if (!ConfigKeyToFlag.TryGetValue(key, out var flag) || flags.ContainsKey(flag))
            {
                continue;
            }

            try
            {
                options = RequirePresharedKey(ApplyOne(options, flag, value, $"raven-agent-config {key}"), $"raven-agent-config {key}");
            }
            catch (AgentOptionsException ex)
            {
                warnings?.Add($"{ex.Message}; ignored");
            }
        }

        return options;
    }

    /// <summary>A backend that needs $VPN_CONNECTION_PSK (IPsec) is refused without it, in one line naming the variable.</summary>
    private static AgentOptions RequirePresharedKey(AgentOptions options, string setting) =>
        Tunnel.TunnelBackends.Find(options.VpnDriver) is { RequiresPresharedKey: true } backend && string.IsNullOrEmpty(options.PresharedKeySecret)
            ? throw new AgentOptionsException(PresharedKeyVariable,
                $"must be set (non-empty) for {setting} {backend.Name}: the IKE peers authenticate with this cluster-wide pre-shared key")
            : options;

    private static AgentOptions Apply(AgentOptions options, IReadOnlyDictionary<string, string> flags, Func<string, string?> environment)
    {
        var nodeName = flags.GetValueOrDefault("node-name") ?? environment("NODE_NAME");
        if (string.IsNullOrWhiteSpace(nodeName))
        {
            throw new AgentOptionsException("--node-name", "either --node-name or $NODE_NAME has to be set");
        }

        options = ApplyOne(options, "node-name", nodeName.Trim(), "--node-name");
        if ((flags.GetValueOrDefault("node-ip") ?? environment("NODE_IP")) is { Length: > 0 } nodeIp)
        {
            options = ApplyOne(options, "node-ip", nodeIp, "--node-ip");
        }

        // A node that knows its elastic IP (cloud metadata, or the lab's kubelet) may say so in the environment.
        if (!flags.ContainsKey("public-ip") && environment("NODE_PUBLIC_IP") is { Length: > 0 } publicIp)
        {
            options = ApplyOne(options, "public-ip", publicIp, "$NODE_PUBLIC_IP");
        }

        if (environment(PresharedKeyVariable) is { Length: > 0 } psk)
        {
            options = options with { PresharedKeySecret = psk };
        }

        foreach (var (name, value) in flags.Where(f => f.Key is not "node-name" and not "node-ip").OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            options = ApplyOne(options, name, value, $"--{name}");
        }

        return options;
    }

    private static AgentOptions ApplyOne(AgentOptions options, string name, string value, string setting)
    {
        value = value.Trim();
        return name switch
        {
            "node-name" => options with { NodeName = NodeName(value, setting) },
            "node-ip" => options with { NodeIp = Address(value, setting) },
            "kubeconfig" => options with { Kubeconfig = value.Length == 0 ? null : value },
            "vpn-driver" => options with { VpnDriver = Driver(value, setting) },
            "forward-node-ip" => options with { ForwardNodeIp = Bool(value, setting) },
            "vpn-bind-port" => options with { VpnBindPort = Port(value, setting) },
            "keep-alive-interval" => options with { KeepAliveInterval = Seconds(value, setting, 0, 65535) },
            "keep-alive-timeout" => options with { KeepAliveTimeout = Seconds(value, setting, 0, 86400) },
            "metric-bind-addr" => options with { MetricBindAddress = ListenAddress(value, setting) },
            "health-probe-addr" => options with { HealthProbeAddress = ListenAddress(value, setting) },
            "sync-raven-rules-period" => options with { SyncPeriod = Duration(value, setting, TimeSpan.FromSeconds(1), TimeSpan.FromHours(24)) },
            "state-dir" => options with { StateDirectory = AbsolutePath(value, setting) },
            "wireguard-interface" => options with { WireGuardInterface = InterfaceName(value, setting) },
            "public-ip" => options with { PublicIp = value.Length == 0 ? null : Address(value, setting) },
            "route-driver" => value == "vxlan" ? options
                : throw new AgentOptionsException(setting, $"\"{value}\" is not a route driver; only vxlan exists"),
            "sync-raven-rules" => options with { SyncRules = Bool(value, setting) },
            VxlanAllowUntrustedUnderlay => options with { VxlanAllowUntrustedUnderlay = Bool(value, setting) },
            "failover-probes" => options with { FailoverProbes = Bool(value, setting) },
            "nat-traversal" => options with { NatTraversal = Bool(value, setting) },
            "hole-punching" => options with { HolePunching = Bool(value, setting) },
            UnderlayMtuConfigKey => options with { UnderlayMtu = Mtu(value, setting) },
            "lease-duration" => options with { LeaseDuration = Duration(value, setting, TimeSpan.FromSeconds(3), TimeSpan.FromHours(1)) },
            "stop-lease-hold" => options with { StopLeaseHold = Duration(value, setting, TimeSpan.Zero, TimeSpan.FromHours(1)) },
            _ => throw new AgentOptionsException(setting, "unknown setting"),
        };
    }

    private static string NodeName(string value, string setting)
    {
        if (value.Length is 0 or > 253 || !value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.') ||
            !char.IsAsciiLetterOrDigit(value[0]) || !char.IsAsciiLetterOrDigit(value[^1]))
        {
            throw new AgentOptionsException(setting, $"\"{value}\" is not a valid node name (lower-case DNS subdomain)");
        }

        return value;
    }

    private static IPAddress Address(string value, string setting) =>
        Cidr.TryParseAddress(value, out var address) ? address
        : throw new AgentOptionsException(setting, $"\"{value}\" is not an IP address");

    /// <summary>The registry's canonical name (aliases such as upstream's libreswan map to theirs).</summary>
    private static string Driver(string value, string setting) =>
        Tunnel.TunnelBackends.Find(value)?.Name ?? throw new AgentOptionsException(setting, Tunnel.TunnelBackends.UnknownMessage(value));

    private static bool Bool(string value, string setting) =>
        bool.TryParse(value, out var result) ? result : throw new AgentOptionsException(setting, $"\"{value}\" is not true or false");

    /// <summary>"4500", ":4500" or "host:4500", as upstream's tunnel-bind-addr and vpn-bind-port.</summary>
    private static int Port(string value, string setting)
    {
        var text = value.LastIndexOf(':') is var colon and >= 0 ? value[(colon + 1)..] : value;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535 ? port
            : throw new AgentOptionsException(setting, $"\"{value}\" has no UDP port between 1 and 65535");
    }

    private static int Mtu(string value, string setting) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var mtu) && mtu is >= MinUnderlayMtu and <= 65535 ? mtu
            : throw new AgentOptionsException(setting, $"\"{value}\" must be an MTU in bytes between {MinUnderlayMtu} and 65535");

    private static TimeSpan Seconds(string value, string setting, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds >= min && seconds <= max
            ? TimeSpan.FromSeconds(seconds)
            : throw new AgentOptionsException(setting, $"\"{value}\" must be whole seconds between {min} and {max}");

    private static TimeSpan Duration(string value, string setting, TimeSpan min, TimeSpan max)
    {
        if (!GoDuration.TryParse(value, out var duration))
        {
            throw new AgentOptionsException(setting, $"\"{value}\" is not a duration such as 30s, 10m or 1h30m");
        }

        return duration >= min && duration <= max ? duration
            : throw new AgentOptionsException(setting, $"{value} must be between {GoDuration.Format(min)} and {GoDuration.Format(max)}");
    }

    private static string ListenAddress(string value, string setting)
    {
        try
        {
            ProbeServer.ParseAddress(value);
            return value;
        }
        catch (ArgumentException ex)
        {
            throw new AgentOptionsException(setting, ex.Message);
        }
    }

    private static string AbsolutePath(string value, string setting) =>
        Path.IsPathFullyQualified(value) ? value : throw new AgentOptionsException(setting, $"\"{value}\" must be an absolute path");

    private static string InterfaceName(string value, string setting)
    {
        try
        {
            RtNetlink.ValidateName(value);
            return value;
        }
        catch (ArgumentException ex)
        {
            throw new AgentOptionsException(setting, ex.Message);
        }
    }
}
