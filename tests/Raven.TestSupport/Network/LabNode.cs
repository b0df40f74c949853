using Raven.Agent.Engine;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;
using Raven.Agent.Tunnel.WireGuard;
using Raven.Kube.Observability;

namespace Raven.TestSupport.Network;

/// <summary>One node of the lab: its namespace, its pod's namespace and (while running) its agent engine.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LabNode(string name, string domain, TestNamespace ns, TestNamespace pod, string privateIp, string subnet, string podIp, string wireGuardInterface, string stateDirectory)
{
    private CancellationTokenSource? _loop;
    private Task? _loopTask;

    public string Name { get; } = name;

    public string Domain { get; } = domain;

    public TestNamespace Namespace { get; } = ns;

    public TestNamespace Pod { get; } = pod;

    public string PrivateIp { get; } = privateIp;

    public string Subnet { get; } = subnet;

    public string PodIp { get; } = podIp;

    public string WireGuardInterface { get; } = wireGuardInterface;

    public string StateDirectory { get; } = stateDirectory;

    /// <summary>--sync-raven-rules-period for engines started from now on.</summary>
    public string SyncPeriod { get; set; } = "1h";

    /// <summary>$VPN_CONNECTION_PSK for engines started from now on.</summary>
    public string? PresharedKeySecret { get; set; }

    /// <summary>--vpn-driver for engines started from now on (a <see cref="TunnelBackends"/> name).</summary>
    public string Backend { get; set; } = WireGuardProfile.BackendName;

    public AgentEngine? Engine { get; private set; }

    /// <summary>Data-plane failover probes (UDP 4473 in the node's namespace) for engines started from now on.</summary>
    public bool Failover { get; set; }

    public Raven.Agent.Health.Wiring.HealthMonitor? Health { get; private set; }

    /// <summary>Punched-path trial timing and cost margins for the failover probes' monitor; null: the defaults.</summary>
    public Raven.Agent.Health.Paths.PunchOptions? Punch { get; set; }

    /// <summary>NAT discovery (the STUN responder on the exposed gateway, discovery on NATed edges) for engines started from now on.</summary>
    public bool NatTraversal { get; set; }

    /// <summary>The agent's --hole-punching.</summary>
    public bool HolePunching { get; set; }

    public Raven.Agent.Nat.Wiring.NatService? Nat { get; private set; }

    /// <summary>What this node's NAT discovery logged (kept across restarts of the engine).</summary>
    public CollectingLogger NatLog { get; } = new(name);

    /// <summary>What this node's failover probes decided (kept across restarts of the engine).</summary>
    public CollectingLogger HealthLog { get; } = new(name);

    public NodeKernel? Kernel { get; private set; }

    /// <summary>The running engine's tunnel backend.</summary>
    public ITunnelBackend? Tunnel { get; private set; }

    /// <summary>The backend when it is WireGuard (its peers, its public key), else null.</summary>
    public WireGuardBackend? Vpn => Tunnel as WireGuardBackend;

    public Dictionary<string, string> Flags => new(StringComparer.Ordinal)
    {
        ["node-name"] = Name,
        ["node-ip"] = PrivateIp,
        ["vpn-driver"] = Backend,
        ["wireguard-interface"] = WireGuardInterface,
        ["state-dir"] = StateDirectory,
        ["sync-raven-rules-period"] = SyncPeriod,
        ["keep-alive-interval"] = "1",
    };

    /// <summary>Builds an engine bound to this node's namespace; with <paramref name="run"/> its loop runs in the background.</summary>
    public async Task StartAsync(InMemoryAgentInputs inputs, bool run)
    {
        Kernel = await NodeKernel.OpenAsync(Namespace.Name, CancellationToken.None);
        Tunnel = CreateBackend(Kernel, PresharedKeySecret);
        var flags = Flags;
        if (HolePunching)
        {
            flags["hole-punching"] = "true";
        }

        var psk = PresharedKeySecret;
        Engine = new AgentEngine(config => AgentOptionsParser.Parse(flags, Environment(psk), config), inputs, inputs, Kernel, Tunnel,
            new AgentMetrics());
        if (Failover)
        {
            Health = Raven.Agent.Health.Wiring.HealthMonitor.Start(new() { NodeName = Name, NetworkNamespace = Namespace.Name, Punch = Punch ?? new() }, HealthLog);
            Engine.UseHealth(Health);
        }

        if (NatTraversal)
        {
            Nat = new Raven.Agent.Nat.Wiring.NatService(new() { NodeName = Name, TunnelPort = KernelNames.WireGuardListenPort, NetworkNamespace = Namespace.Name },
                inputs, NatLog);
            Engine.Planned += Nat.Observe;
        }

        if (run)
        {
            _loop = new CancellationTokenSource();
            var engine = Engine;
            var health = Health;
            var nat = Nat;
            var token = _loop.Token;
            _loopTask = Task.WhenAll(Task.Run(() => engine.RunAsync(token), CancellationToken.None),
                health is null ? Task.CompletedTask : Task.Run(() => health.RunAsync(token), CancellationToken.None),
                nat is null ? Task.CompletedTask : Task.Run(() => nat.RunAsync(token), CancellationToken.None));
        }
    }

    /// <summary>Stops the engine and leaves the data plane (daemon, links, rules) in place, like SIGTERM.</summary>
    public async Task DetachAsync()
    {
        if (_loop is not null)
        {
            await _loop.CancelAsync();
            try
            {
                await _loopTask!;
            }
            catch (OperationCanceledException)
            {
            }

            _loop.Dispose();
            _loop = null;
        }

        if (Engine is not null)
        {
            await Engine.DisposeAsync();
            Engine = null;
        }

        if (Health is not null)
        {
            await Health.DisposeAsync();
            Health = null;
        }

        if (Nat is not null)
        {
            await Nat.DisposeAsync();
            Nat = null;
        }

        Kernel?.Dispose();
        Kernel = null;
        Tunnel = null;
    }

    /// <summary>The backend the registry makes for this node, as the agent's start-up does (without a PSK it can only clean up).</summary>
    public ITunnelBackend CreateBackend(NodeKernel kernel, string? presharedKeySecret)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return TunnelBackends.Get(Backend).Create(new TunnelBackendContext
        {
            InterfaceName = WireGuardInterface,
            StateDirectory = StateDirectory,
            NetworkNamespace = Namespace.Name,
            NodeName = Name,
            PresharedKeySecret = presharedKeySecret,
            KeepAliveInterval = TimeSpan.FromSeconds(1),
            Reconciler = kernel.Reconciler,
        });
    }

    private static Func<string, string?> Environment(string? presharedKeySecret) =>
        name => name == AgentOptionsParser.PresharedKeyVariable ? presharedKeySecret : null;

    /// <summary>Test teardown: stops the engine, then the daemon (wireguard-go or charon) by PID, adopted through the backend.</summary>
    public async Task StopAsync()
    {
        await DetachAsync();
        using var kernel = await NodeKernel.OpenAsync(Namespace.Name, CancellationToken.None);
        await using var driver = CreateBackend(kernel, presharedKeySecret: null);
        await driver.CleanupAsync(CancellationToken.None);
    }
}
