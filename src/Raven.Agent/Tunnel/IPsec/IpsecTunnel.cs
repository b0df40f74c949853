using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Linux;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// The IPsec backend's one entry point: a private charon (supervised by PID, adopted after an agent restart) driven
/// over VICI. Apply loads what is new or changed, unloads what is gone and never sends an unchanged connection
/// again, so the SAs of the other peers are never touched; with kernel-libipsec it also keeps Raven's routes into the
/// TUN device. A bad spec is skipped with a diagnostic and never blocks the others.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class IpsecTunnel : IAsyncDisposable
{
    /// <summary>How a diagnostic of a connection left out altogether begins (the others narrowed it).</summary>
    public const string SkippedPrefix = "skipped: ";

    private readonly IpsecTunnelOptions options;
    private readonly ILogger logger;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly HashSet<string> reportedDiagnostics = new(StringComparer.Ordinal);
    private CharonSupervisor? supervisor;
    private IpsecEventWatcher? events;
    private RtNetlink? netlink;
    private IReadOnlyList<IpsecConnectionSpec> wanted = [];
    private IReadOnlyList<IpsecConnectionSpec> effective = [];
    private (ProcessIdentity Charon, CharonVersion Version)? version;

    public IpsecTunnel(IpsecTunnelOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Charon.Validate();
        this.options = options;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The running charon, once started or adopted.</summary>
    public CharonSupervisor? Supervisor => supervisor;

    /// <summary>Brings charon's connections (and Raven's routes into the TUN device) to <paramref name="connections"/>.</summary>
    public async Task<IpsecApplyResult> ApplyAsync(IReadOnlyList<IpsecConnectionSpec> connections, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connections);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            wanted = connections.ToList();
            if (supervisor is null)
            {
                await StartAsync(cancellationToken).ConfigureAwait(false);
            }

            return await ReconcileAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Every applied connection with its state and counters, as charon reports them now.</summary>
    public async Task<IReadOnlyList<IpsecConnectionStatus>> ConnectionsAsync(CancellationToken cancellationToken)
    {
        if (supervisor is not { } charon)
        {
            return [];
        }

        var sas = await charon.Client.ListSasAsync(cancellationToken).ConfigureAwait(false);
        return effective.Select(spec => Status(spec.Name, sas.Where(s => s.Connection == spec.Name).ToList()) with { RemoteNode = spec.RemoteId.TrimStart('@') }).ToList();
    }

    /// <summary>
    /// Initiates again every applied initiator connection that has no SA at all. charon retries an unanswered
    /// initiation forever (keyingtries = 0) but gives up after a fatal answer such as NO_PROPOSAL_CHOSEN, which a peer
    /// whose charon runs but has not loaded its side yet sends; without this the connection would wait for the next
    /// apply pass. Returns the connections initiated.
    /// </summary>
    public async Task<IReadOnlyList<string>> RetryAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (supervisor is not { } charon)
            {
                return [];
            }

            var sas = await charon.Client.ListSasAsync(cancellationToken).ConfigureAwait(false);
            var initiated = new List<string>();
            foreach (var spec in effective.Where(s => s.Role == IpsecRole.Initiator && !sas.Any(sa => sa.Connection == s.Name)))
            {
                var connection = ConnectionConfig.Render(spec);
                try
                {
                    await charon.Client.InitiateAsync(connection.Name, connection.ChildName, cancellationToken).ConfigureAwait(false);
                    initiated.Add(connection.Name);
                    logger.LogInformation("IPsec {Connection}: no SA, initiating again", connection.Name);
                }
                catch (ViciException ex) when (ex.Failure == ViciFailure.CommandFailed)
                {
                    logger.LogDebug("IPsec {Connection}: initiating again failed: {Error}", connection.Name, ex.CharonMessage);
                }
            }

            return initiated;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Stops supervising and watching, leaving charon, its SAs and the routes in place for the next agent.</summary>
    public async Task DetachAsync()
    {
        if (events is { } watcher)
        {
            await watcher.StopAsync().ConfigureAwait(false);
            events = null;
        }

        if (supervisor is { } charon)
        {
            await charon.DetachAsync().ConfigureAwait(false);
            supervisor = null;
        }
    }

    /// <summary>
    /// Stops charon by PID (also one an earlier agent left running), which removes its SAs and the TUN device, then
    /// removes what a killed charon could leave behind: its route table and the rule pointing at it.
    /// </summary>
    public async Task CleanupAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (events is { } watcher)
            {
                await watcher.StopAsync().ConfigureAwait(false);
                events = null;
            }

            var charon = supervisor ?? new CharonSupervisor(options.Charon, libipsec: true, _ => Task.CompletedTask, logger);
            await charon.StopAsync().ConfigureAwait(false);
            supervisor = null;
            version = null;
            wanted = [];
            effective = [];
            RemoveLibipsecLeftovers();
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DetachAsync().ConfigureAwait(false);
        netlink?.Dispose();
        gate.Dispose();
    }

    private RtNetlink Netlink => netlink ??= options.Charon.NetworkNamespace is { } ns ? RtNetlink.OpenInNamespace(ns) : RtNetlink.Open();

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var libipsec = options.Charon.Backend switch
        {
            CharonKernelBackend.Libipsec => true,
            CharonKernelBackend.KernelEsp => false,
            _ => UseLibipsec(KernelEspProbe.Probe()),
        };
        var charon = new CharonSupervisor(options.Charon, libipsec, RestartedAsync, logger);
        await charon.StartAsync(cancellationToken).ConfigureAwait(false);
        supervisor = charon;
        events = new IpsecEventWatcher(charon.Client.Vici, options.EventRetryDelay, logger);
        events.Start();
    }

    private bool UseLibipsec(KernelEspSupport support)
    {
        logger.LogInformation(
            "IPsec ESP: {Choice} ({Reason})", support.Available ? "kernel" : "kernel-libipsec (userspace, ESP in UDP)", support.Reason);
        return !support.Available;
    }

    // A new charon has none of our secrets or connections: load them again.
    private async Task RestartedAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (supervisor is not null)
            {
                var result = await ReconcileAsync(cancellationToken).ConfigureAwait(false);
                logger.LogInformation("IPsec: charon restarted, reloaded: {Result}", result);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<IpsecApplyResult> ReconcileAsync(CancellationToken cancellationToken)
    {
        var charon = supervisor!;
        var client = charon.Client;
        var hostAddresses = Netlink.ListAddresses().Select(a => a.Address).ToList();
        var charonVersion = await VersionAsync(charon, cancellationToken).ConfigureAwait(false);
        var diagnostics = new List<IpsecDiagnostic>();
        var specs = Effective(wanted, charon.UsesLibipsec, charonVersion, hostAddresses, diagnostics);
        var rendered = specs.Select(ConnectionConfig.Render).ToList();

        var secretLoaded = await EnsureSecretAsync(client, cancellationToken).ConfigureAwait(false);
        var loaded = await client.ListConnsAsync(cancellationToken).ConfigureAwait(false);
        var changes = ConnectionDiff.Compute(loaded, rendered);
        var sas = await client.ListSasAsync(cancellationToken).ConfigureAwait(false);

        foreach (var name in changes.ToUnload)
        {
            await client.UnloadConnAsync(name, cancellationToken).ConfigureAwait(false);
            events?.Forget(name);

            // charon only closes the SAs of a connection it started itself; a responder's must be closed by us.
            await TerminateAsync(client, sas.Where(s => s.Connection == name), cancellationToken).ConfigureAwait(false);
            logger.LogInformation("IPsec {Connection}: unloaded", name);
        }

        var loadedNow = new List<string>();
        foreach (var connection in changes.ToLoad)
        {
            var replaced = loaded.Any(l => l.Name == connection.Name);
            events?.Track(connection.Name, initialPending: true);
            try
            {
                await client.LoadConnAsync(connection.Name, connection.Config, cancellationToken).ConfigureAwait(false);
            }
            catch (ViciException ex) when (ex.Failure == ViciFailure.CommandFailed)
            {
                // One connection charon refuses must not keep the others from being loaded.
                diagnostics.Add(new(connection.Name, $"charon refused the connection: {ex.CharonMessage}"));
                continue;
            }

            loadedNow.Add(connection.Name);
            if (replaced && connection.Spec.Role == IpsecRole.Responder)
            {
                // The peer re-initiates with the new config once the old SA is gone.
                await TerminateAsync(client, sas.Where(s => s.Connection == connection.Name), cancellationToken).ConfigureAwait(false);
            }

            logger.LogInformation(
                "IPsec {Connection}: {How} ({Role}, {Remote}, {Local} === {RemoteSubnets})",
                connection.Name, replaced ? "reloaded" : "loaded", connection.Spec.Role,
                connection.Spec.RemoteAddress?.ToString() ?? "%any",
                string.Join(",", connection.Spec.LocalSubnets), string.Join(",", connection.Spec.RemoteSubnets));
        }

        var initiated = new List<string>();
        foreach (var connection in rendered.Where(c => changes.Unchanged.Contains(c.Name)))
        {
            var own = sas.Where(s => s.Connection == connection.Name).ToList();
            events?.Track(connection.Name, initialPending: !own.Any(s => s.IsEstablished));
            if (connection.Spec.Role != IpsecRole.Initiator || own.Count > 0)
            {
                continue;
            }

            try
            {
                await client.InitiateAsync(connection.Name, connection.ChildName, cancellationToken).ConfigureAwait(false);
                initiated.Add(connection.Name);
                logger.LogInformation("IPsec {Connection}: no SA, initiating again", connection.Name);
            }
            catch (ViciException ex) when (ex.Failure == ViciFailure.CommandFailed)
            {
                diagnostics.Add(new(connection.Name, $"charon could not initiate it: {ex.CharonMessage}"));
            }
        }

        Report(diagnostics);
        effective = specs;
        var (device, routesChanged) = ReconcileDevice(charon, specs, hostAddresses);
        return new IpsecApplyResult
        {
            Loaded = loadedNow,
            Unloaded = changes.ToUnload,
            Initiated = initiated,
            Diagnostics = diagnostics,
            SecretLoaded = secretLoaded,
            RoutesChanged = routesChanged,
            Device = device,
        };
    }

    private async Task<CharonVersion> VersionAsync(CharonSupervisor charon, CancellationToken cancellationToken)
    {
        if (charon.Process is { } process && version is { } known && known.Charon == process)
        {
            return known.Version;
        }

        var current = await charon.Client.VersionAsync(cancellationToken).ConfigureAwait(false);
        if (charon.Process is { } running)
        {
            version = (running, current);
        }

        return current;
    }

    private static List<IpsecConnectionSpec> Effective(
        IReadOnlyList<IpsecConnectionSpec> specs,
        bool libipsec,
        CharonVersion charonVersion,
        IReadOnlyCollection<IPAddress> hostAddresses,
        List<IpsecDiagnostic> diagnostics)
    {
        var narrow = LibipsecSelectors.Applies(libipsec, charonVersion.Parsed);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<IpsecConnectionSpec>();
        foreach (var spec in specs)
        {
            var problems = spec.Validate();
            if (problems.Count > 0)
            {
                diagnostics.Add(new(spec.Name, $"{SkippedPrefix}{string.Join("; ", problems)}"));
                continue;
            }

            if (!names.Add(spec.Name))
            {
                diagnostics.Add(new(spec.Name, SkippedPrefix + "another connection has the same name"));
                continue;
            }

            var usable = spec;
            if (narrow)
            {
                var (keep, dropped) = LibipsecSelectors.Split(spec.LocalSubnets, hostAddresses);
                if (dropped.Count > 0)
                {
                    var why = $"local subnets {string.Join(", ", dropped)} hold no address of this host, which strongSwan " +
                        $"{charonVersion.Version} with kernel-libipsec cannot route (fixed in {LibipsecSelectors.FixedIn})";
                    if (keep.Count == 0)
                    {
                        diagnostics.Add(new(spec.Name, $"{SkippedPrefix}{why}"));
                        continue;
                    }

                    diagnostics.Add(new(spec.Name, $"{why}: left out of the connection"));
                    usable = spec with { LocalSubnets = keep };
                }
            }

            result.Add(usable);
        }

        return result;
    }

    // Log each distinct diagnostic once, not on every pass.
    private void Report(List<IpsecDiagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            if (reportedDiagnostics.Add(diagnostic.ToString()))
            {
                logger.LogWarning("IPsec {Diagnostic}", diagnostic);
            }
        }
    }

    private async Task<bool> EnsureSecretAsync(CharonClient client, CancellationToken cancellationToken)
    {
        // Checked here, not in the constructor: a tunnel that only cleans up needs no key.
        var key = options.PresharedKey ?? throw new IpsecConfigurationException(PresharedKey.MissingMessage);
        var ids = await client.GetSharedAsync(cancellationToken).ConfigureAwait(false);
        var loadedNow = false;
        if (!ids.Contains(key.Id))
        {
            await client.LoadSharedAsync(key.Id, key.Secret, [], cancellationToken).ConfigureAwait(false);
            loadedNow = true;
            logger.LogInformation("IPsec: pre-shared key {Id} loaded", key.Id);
        }

        foreach (var stale in ids.Where(i => i.StartsWith(PresharedKey.IdPrefix, StringComparison.Ordinal) && i != key.Id))
        {
            await client.UnloadSharedAsync(stale, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("IPsec: previous pre-shared key {Id} unloaded", stale);
        }

        return loadedNow;
    }

    private static async Task TerminateAsync(CharonClient client, IEnumerable<IkeSa> sas, CancellationToken cancellationToken)
    {
        foreach (var sa in sas)
        {
            try
            {
                await client.TerminateIkeAsync(sa.UniqueId, cancellationToken).ConfigureAwait(false);
            }
            catch (ViciException ex) when (ex.Failure == ViciFailure.CommandFailed)
            {
                // Already gone (charon deleting it itself): nothing left to terminate.
            }
        }
    }

    private (string? Device, bool Changed) ReconcileDevice(CharonSupervisor charon, IReadOnlyList<IpsecConnectionSpec> specs, IReadOnlyCollection<IPAddress> hostAddresses)
    {
        if (!charon.UsesLibipsec || charon.Process is not { } process)
        {
            return (null, false);
        }

        var name = TunDevice.HeldBy(process.Pid).FirstOrDefault();
        if (name is null || Netlink.FindLink(name) is not { } link)
        {
            throw new InvalidOperationException($"charon PID {process.Pid} holds no TUN device: is kernel-libipsec loaded? See {options.Charon.LogPath}.");
        }

        var changed = false;
        if (options.Mtu is { } mtu && link.Mtu != mtu)
        {
            Netlink.SetLinkMtu(link.Index, mtu);
            changed = true;
        }

        if (options.RouteTable is { } table)
        {
            var routes = IpsecRoutes.For(specs, hostAddresses, link.Index, table, options.Mtu);
            changed |= IpsecRoutes.Sync(Netlink, table, link.Index, routes);
        }

        return (name, changed);
    }

    private void RemoveLibipsecLeftovers()
    {
        var table = (uint)options.Charon.LibipsecRouteTable;
        foreach (var rule in Netlink.ListRules().Where(r => r.Table == table))
        {
            Netlink.DeleteRule(rule);
        }

        foreach (var route in Netlink.ListRoutes(table))
        {
            Netlink.DeleteRoute(route);
        }
    }

    private IpsecConnectionStatus Status(string name, IReadOnlyList<IkeSa> sas)
    {
        var best = sas.OrderByDescending(Rank).ThenByDescending(s => s.UniqueId).FirstOrDefault();
        var installed = sas.SelectMany(s => s.Children).Where(c => c.IsInstalled).ToList();
        var state = best switch
        {
            null => IpsecConnectionState.Down,
            { IsEstablished: true } when best.Children.Any(c => c.IsInstalled) => IpsecConnectionState.Up,
            { IsEstablished: true } => IpsecConnectionState.IkeEstablished,
            _ => IpsecConnectionState.Connecting,
        };
        return new IpsecConnectionStatus
        {
            Name = name,
            State = state,
            RemoteEndpoint = best?.RemoteHost is { } host ? $"{host}:{best.RemotePort}" : null,
            IkeSaId = best?.UniqueId,
            ChildSaId = best?.Children.Where(c => c.IsInstalled).Select(c => (uint?)c.UniqueId).Max(),
            Age = best?.EstablishedSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            BytesIn = installed.Sum(c => c.BytesIn),
            BytesOut = installed.Sum(c => c.BytesOut),
            PacketsIn = installed.Sum(c => c.PacketsIn),
            PacketsOut = installed.Sum(c => c.PacketsOut),
            Reconnects = events?.Reconnects(name) ?? 0,
            Nat = best is { } sa && (sa.NatLocal || sa.NatRemote),
        };
    }

    private static int Rank(IkeSa sa) => sa.IsEstablished ? (sa.Children.Any(c => c.IsInstalled) ? 2 : 1) : 0;
}
