using Raven.Agent.Engine;
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

    public AgentEngine? Engine { get; private set; }

    /// <summary>Data-plane failover probes (UDP 4473 in the node's namespace) for engines started from now on.</summary>
    public bool Failover { get; set; }

    public Raven.Agent.Health.Wiring.HealthMonitor? Health { get; private set; }

    /// <summary>What this node's failover probes decided (kept across restarts of the engine).</summary>
    public CollectingLogger HealthLog { get; } = new(name);

    public NodeKernel? Kernel { get; private set; }

    public WireGuardBackend? Vpn { get; private set; }

    public Dictionary<string, string> Flags => new(StringComparer.Ordinal)
    {
        ["node-name"] = Name,
        ["node-ip"] = PrivateIp,
        ["wireguard-interface"] = WireGuardInterface,
        ["state-dir"] = StateDirectory,
        ["sync-raven-rules-period"] = SyncPeriod,
        ["keep-alive-interval"] = "1",
    };

    /// <summary>Builds an engine bound to this node's namespace; with <paramref name="run"/> its loop runs in the background.</summary>
    public async Task StartAsync(InMemoryAgentInputs inputs, bool run)
    {
        Kernel = await NodeKernel.OpenAsync(Namespace.Name, CancellationToken.None);
        Vpn = new WireGuardBackend(new WireGuardBackendOptions
        {
            InterfaceName = WireGuardInterface,
            NetworkNamespace = Namespace.Name,
            StateDirectory = StateDirectory,
            PresharedKey = WireGuardBackendOptions.PresharedKeyFrom(PresharedKeySecret),
        }, Kernel.Reconciler);
        var flags = Flags;
        Engine = new AgentEngine(config => AgentOptionsParser.Parse(flags, _ => null, config), inputs, inputs, Kernel, Vpn,
            new AgentMetrics());
        if (Failover)
        {
            Health = Raven.Agent.Health.Wiring.HealthMonitor.Start(new() { NodeName = Name, NetworkNamespace = Namespace.Name }, HealthLog);
            Engine.UseHealth(Health);
        }

        if (run)
        {
            _loop = new CancellationTokenSource();
            var engine = Engine;
            var health = Health;
            var token = _loop.Token;
            _loopTask = Task.WhenAll(Task.Run(() => engine.RunAsync(token), CancellationToken.None),
                health is null ? Task.CompletedTask : Task.Run(() => health.RunAsync(token), CancellationToken.None));
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

        Kernel?.Dispose();
        Kernel = null;
        Vpn = null;
    }

    /// <summary>Test teardown: stops the engine, then the daemon by PID (adopted through the driver).</summary>
    public async Task StopAsync()
    {
        await DetachAsync();
        using var kernel = await NodeKernel.OpenAsync(Namespace.Name, CancellationToken.None);
        await using var driver = new WireGuardBackend(new WireGuardBackendOptions
        {
            InterfaceName = WireGuardInterface,
            NetworkNamespace = Namespace.Name,
            StateDirectory = StateDirectory,
        }, kernel.Reconciler);
        await driver.CleanupAsync(CancellationToken.None);
    }
}
