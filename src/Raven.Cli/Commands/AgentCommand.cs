using System.CommandLine;
using Raven.Agent.Engine;
using Raven.Agent.Tunnel.WireGuard;

namespace Raven.Cli.Commands;

/// <summary>
/// `raven agent`: the node agent (L3 tunnel); `raven agent cleanup` removes Raven's state from this node;
/// `raven agent public-key` prints the WireGuard public key this node publishes.
/// </summary>
internal static class AgentCommand
{
    /// <summary>Thread-pool minimum for the agent process (see <see cref="KeepThreadPoolResponsive"/>).</summary>
    private const int MinPoolThreads = 16;

    private static readonly Dictionary<string, string> Help = new(StringComparer.Ordinal)
    {
        ["node-name"] = "This node's name (default $NODE_NAME).",
        ["node-ip"] = "This node's InternalIP (default $NODE_IP).",
        ["kubeconfig"] = "Path to a kubeconfig; empty uses the in-cluster configuration.",
        ["vpn-driver"] = "Tunnel backend: wireguard, ipsec (alias libreswan; needs $VPN_CONNECTION_PSK) or vxlan (not encrypted). The registry names the known drivers when given another.",
        ["vpn-bind-port"] = "UDP port of the tunnel (\"4500\" or \":4500\").",
        ["keep-alive-interval"] = "Persistent keepalive in seconds for peers behind NAT (0 turns it off).",
        ["keep-alive-timeout"] = "IPsec DPD timeout in seconds (accepted for compatibility).",
        ["metric-bind-addr"] = "host:port of /metrics (default :10265).",
        ["health-probe-addr"] = "host:port of /healthz and /readyz (default :10275).",
        ["sync-raven-rules-period"] = "Full re-apply period that heals drift, e.g. 10m (1s..24h).",
        ["state-dir"] = "Directory for the WireGuard private key (default /var/lib/raven).",
        ["wireguard-interface"] = "WireGuard interface name (default raven-wg0).",
        ["public-ip"] = "Public IP of this node's tunnel endpoint when the Gateway and its LoadBalancer give none (default $NODE_PUBLIC_IP).",
        ["route-driver"] = "Route driver inside a domain: vxlan (the only one, as upstream).",
        ["sync-raven-rules"] = "true/false: periodic re-apply that heals drift (default true).",
        [AgentOptionsParser.UnderlayMtuConfigKey] = "MTU of the network between nodes (bytes, 1280-65535; default 1500); VXLAN, tunnel and route MTUs are derived from it. Also raven-agent-config underlay-mtu.",
        ["lease-duration"] = "Duration of the raven-agent-NODE Lease, renewed every third of it (default 40s).",
        ["stop-lease-hold"] = "On SIGTERM, hold the Lease this long (at least --lease-duration) so a restarted agent takes over without a gateway failover (default 30s; 0s: no hold).",
    };

    public static Command Create()
    {
        var options = Help.Concat(AgentProxyFlags.Help).ToDictionary(h => h.Key, h => new Option<string>($"--{h.Key}") { Description = h.Value }, StringComparer.Ordinal);
        // Switches that upstream's chart may pass bare (Go bool flags): "--name", "--name=true" or "--name=false".
        var switches = new Dictionary<string, Option<bool?>>(StringComparer.Ordinal)
        {
            ["forward-node-ip"] = Switch("forward-node-ip", "Route node IPs (/32) across domains where no other domain uses them (default true; =false turns it off)."),
            ["failover-probes"] = Switch("failover-probes", "Data-plane health probes on UDP 4473 that move a domain to its hot standby within about a second (default true)."),
            ["hole-punching"] = Switch("hole-punching", "NATed edge gateways try a punched direct WireGuard tunnel and use it when it is cheaper than the relay (default false: the switch is not yet loss-free)."),
            ["nat-traversal"] = Switch("nat-traversal", "The exposed gateway serves STUN on UDP 3478/3479; tunnel endpoints under NAT publish publicIP, publicPort and natType learned from it (default true; nothing is asked outside the cluster)."),
            [AgentOptionsParser.VxlanAllowUntrustedUnderlay] = Switch(AgentOptionsParser.VxlanAllowUntrustedUnderlay, "Let the unencrypted vxlan backend run under NAT or across public addresses (default false)."),
        };
        var level = Logs.LevelOption();
        var format = Logs.FormatOption();
        var command = new Command("agent", "Run the Raven node agent: VXLAN inside a domain, WireGuard between domains. SIGTERM detaches within 2 s (up to 5 s more while the probe stand-in that answers for the next agent starts): the data plane stays for the next agent (remove it with `raven agent cleanup`).");
        foreach (var option in options.Values)
        {
            command.Options.Add(option);
        }

        foreach (var option in switches.Values)
        {
            command.Options.Add(option);
        }

        command.Options.Add(level);
        command.Options.Add(format);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!OperatingSystem.IsLinux())
            {
                await Console.Error.WriteLineAsync("raven agent runs on Linux only").ConfigureAwait(false);
                return 2;
            }

            var flags = options.Where(o => parse.GetResult(o.Value) is not null)
                .ToDictionary(o => o.Key, o => parse.GetValue(o.Value) ?? "", StringComparer.Ordinal);
            foreach (var (name, option) in switches.Where(s => parse.GetResult(s.Value) is not null))
            {
                flags[name] = (parse.GetValue(option) ?? true) ? "true" : "false";
            }

            using var loggers = Logs.Create(parse.GetValue(level)!, parse.GetValue(format)!);
            KeepThreadPoolResponsive();
            try
            {
                await AgentHost.RunAsync(flags, Environment.GetEnvironmentVariable, loggers, cancellationToken, extra => Shutdown.Current?.Extend(extra)).ConfigureAwait(false);
                return 0;
            }
            catch (Exception ex) when (ex is AgentOptionsException or k8s.Exceptions.KubeConfigException or Raven.Kube.Observability.ProbeServerStartException)
            {
                // A flag or a kubeconfig that cannot work: one line naming it, not a stack.
                await Console.Error.WriteLineAsync($"raven agent: {ex.Message}").ConfigureAwait(false);
                return 2;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0; // stopped during start-up: nothing was changed that a restart would not adopt
            }
        });
        command.Subcommands.Add(CreateCleanup());
        command.Subcommands.Add(CreatePublicKey());
        command.Subcommands.Add(CreateProbeStandIn());
        return command;
    }

    /// <summary>
    /// The agent's own helper (hidden): answers the data-plane probes with the stopping agent's claim until the next
    /// agent takes over (Raven.Agent.Health.Wiring.ProbeStandIn). The key comes from $VPN_CONNECTION_PSK, as the agent's.
    /// </summary>
    private static Command CreateProbeStandIn()
    {
        var node = new Option<string>("--node-name") { Required = true, Description = "This node's name (the replies' node id)." };
        var port = new Option<int>("--port") { DefaultValueFactory = _ => Raven.Agent.Health.Protocol.ProbeWire.DefaultPort, Description = "UDP probe port." };
        var claim = new Option<long>("--claim") { Required = true, Description = "The claim to answer with, packed (flags, uplink << 8, epoch << 16)." };
        var hold = new Option<string>("--hold") { DefaultValueFactory = _ => "30s", Description = "Give up after this long without a next agent." };
        var stateDir = new Option<string>("--state-dir") { Description = "State directory of the agent.", DefaultValueFactory = _ => AgentOptions.DefaultStateDirectory };
        var level = Logs.LevelOption();
        var format = Logs.FormatOption();
        var command = new Command("probe-stand-in", "Answer the data-plane probes for a restarting agent (started by the agent on SIGTERM).")
        {
            node, port, claim, hold, stateDir, level, format,
        };
        command.Hidden = true;
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!GoDuration.TryParse(parse.GetValue(hold), out var duration) || duration <= TimeSpan.Zero)
            {
                await Console.Error.WriteLineAsync($"raven agent probe-stand-in: --hold '{parse.GetValue(hold)}' is not a positive duration such as 30s").ConfigureAwait(false);
                return 2;
            }

            using var loggers = Logs.Create(parse.GetValue(level)!, parse.GetValue(format)!);
            var psk = Environment.GetEnvironmentVariable("VPN_CONNECTION_PSK");
            var key = string.IsNullOrEmpty(psk) ? null : Raven.Agent.Health.Protocol.ProbeKey.FromPresharedKey(psk);
            await Raven.Agent.Health.Wiring.ProbeStandIn.RunAsync(parse.GetValue(node)!, parse.GetValue(port), Raven.Agent.Health.Protocol.GatewayClaim.FromPacked(parse.GetValue(claim)),
                duration, parse.GetValue(stateDir)!, key, loggers.CreateLogger("raven.agent.probe-stand-in"), cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The probe loops' timers and replies are judged against 100–200 ms deadlines. With the pool's default minimum (one
    /// thread per core, two on a small edge node) a burst of start-up work occupies every thread, and the pool adds
    /// more only about twice a second: probe continuations queued behind it count as misses and a healthy gateway is
    /// declared Down. A higher minimum lets the pool add threads at once; idle ones cost a little memory.
    /// </summary>
    private static void KeepThreadPoolResponsive()
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, MinPoolThreads), Math.Max(io, MinPoolThreads));
    }

    private static Option<bool?> Switch(string name, string description) =>
        new($"--{name}") { Description = description, Arity = ArgumentArity.ZeroOrOne };

    private static Command CreatePublicKey()
    {
        var stateDir = new Option<string>("--state-dir") { Description = "State directory of the agent.", DefaultValueFactory = _ => AgentOptions.DefaultStateDirectory };
        var command = new Command("public-key", "Print the WireGuard public key of this node's stored private key (what the Gateway's config.publicKey shows).") { stateDir };
        command.SetAction(parse => PrintPublicKey(parse.GetValue(stateDir)!, Console.Out, Console.Error));
        return command;
    }

    /// <summary>Derives the public key with X25519 (libsodium through NSec); never creates a key.</summary>
    internal static int PrintPublicKey(string stateDirectory, TextWriter output, TextWriter error)
    {
        if (OperatingSystem.IsWindows())
        {
            error.WriteLine("raven agent public-key runs on Linux only");
            return 2;
        }

        var store = new PrivateKeyStore(stateDirectory);
        WireGuardKey? key;
        try
        {
            key = store.LoadExisting();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"raven agent public-key: {ex.Message}");
            return 1;
        }

        if (key is null)
        {
            error.WriteLine($"raven agent public-key: {store.FilePath} does not exist; the agent creates it when it first runs the WireGuard driver.");
            return 1;
        }

        output.WriteLine(key.PublicKey().ToBase64());
        return 0;
    }

    private static Command CreateCleanup()
    {
        var stateDir = new Option<string>("--state-dir") { Description = "State directory of the agent.", DefaultValueFactory = _ => AgentOptions.DefaultStateDirectory };
        var wireGuard = new Option<string>("--wireguard-interface") { Description = "WireGuard interface name.", DefaultValueFactory = _ => "raven-wg0" };
        var command = new Command("cleanup", "Remove every device, route, rule, chain and set Raven created on this node (nothing else).") { stateDir, wireGuard };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!OperatingSystem.IsLinux())
            {
                await Console.Error.WriteLineAsync("raven agent cleanup runs on Linux only").ConfigureAwait(false);
                return 2;
            }

            var errors = await AgentHost.CleanupAsync(parse.GetValue(stateDir)!, parse.GetValue(wireGuard)!, cancellationToken).ConfigureAwait(false);
            foreach (var error in errors)
            {
                await Console.Error.WriteLineAsync($"raven agent cleanup: {error}").ConfigureAwait(false);
            }

            return errors.Count == 0 ? 0 : 1;
        });
        return command;
    }
}
