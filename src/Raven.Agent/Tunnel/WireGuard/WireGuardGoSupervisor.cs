using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Linux.Processes;
using Raven.Kube.Resilience;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>
/// Runs one wireguard-go daemon in the foreground, tracked by PID: waits for its UAPI socket, configures it through
/// a callback, restarts and reconfigures it when it exits (a restarted daemon has lost all configuration), and stops
/// it by PID. A daemon that already answers on the socket (agent restart) is adopted instead of started twice.
/// </summary>
public sealed class WireGuardGoSupervisor : IAsyncDisposable
{
    private static readonly TimeSpan SocketPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly WireGuardGoOptions options;
    private readonly Func<UapiClient, CancellationToken, Task> configure;
    private readonly ILogger logger;
    private CancellationTokenSource? supervision;
    private Task? supervisionTask;
    private Process? process;
    private int? adoptedPid;
    private int currentPid;
    private int restarts;

    /// <param name="configure">Pushes the full configuration; called after every start, restart and adoption.</param>
    public WireGuardGoSupervisor(
        WireGuardGoOptions options,
        Func<UapiClient, CancellationToken, Task> configure,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configure);
        UapiSocket.ValidateInterfaceName(options.InterfaceName);
        this.options = options;
        this.configure = configure;
        this.logger = logger ?? NullLogger.Instance;
        Client = new UapiClient(options.SocketPath);
    }

    public UapiClient Client { get; }

    /// <summary>The daemon's PID; null when none is known (not started, or adopted from a daemon that forked itself).</summary>
    public int? ProcessId => Volatile.Read(ref currentPid) is var pid and > 0 ? pid : null;

    /// <summary>True when the running daemon was found already running rather than started by us.</summary>
    public bool IsAdopted { get; private set; }

    /// <summary>How many times the daemon was brought back after it went away.</summary>
    public int Restarts => Volatile.Read(ref restarts);

    /// <summary>Adopts or starts the daemon, configures it, then keeps supervising it in the background.</summary>
    /// <remarks>
    /// When the configuration callback throws, the daemon is left running and tracked: retry, or call
    /// <see cref="StopAsync"/>.
    /// </remarks>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (supervisionTask is not null)
        {
            throw new InvalidOperationException($"The wireguard-go supervisor for {options.InterfaceName} is already started.");
        }

        await BringUpAsync(cancellationToken).ConfigureAwait(false);
        supervision = new CancellationTokenSource();
        var token = supervision.Token;
        supervisionTask = Task.Run(() => SuperviseAsync(token), CancellationToken.None);
    }

    /// <summary>Stops supervising and terminates the daemon by PID (SIGTERM, then SIGKILL after the grace period).</summary>
    public async Task StopAsync()
    {
        await StopSupervisingAsync().ConfigureAwait(false);
        if (process is { } p)
        {
            await DaemonTermination.TerminateChildAsync(options, logger, p).ConfigureAwait(false);
            p.Dispose();
            process = null;
        }
        else if (adoptedPid is { } pid)
        {
            await DaemonTermination.TerminateAdoptedAsync(options, pid).ConfigureAwait(false);
            adoptedPid = null;
        }

        IsAdopted = false;
        Volatile.Write(ref currentPid, 0);
    }

    /// <summary>Stops supervising but leaves the daemon running, so the data plane survives an agent restart.</summary>
    public async Task DetachAsync()
    {
        await StopSupervisingAsync().ConfigureAwait(false);
        process?.Dispose();
        process = null;
        adoptedPid = null;
        IsAdopted = false;
        Volatile.Write(ref currentPid, 0);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task StopSupervisingAsync()
    {
        if (supervision is null || supervisionTask is null)
        {
            return;
        }

        await supervision.CancelAsync().ConfigureAwait(false);
        await supervisionTask.ConfigureAwait(false);
        supervision.Dispose();
        supervision = null;
        supervisionTask = null;
    }

    private async Task SuperviseAsync(CancellationToken token)
    {
        var backoff = new Backoff(options.RestartDelay, options.MaxRestartDelay);
        var delay = backoff.Next();
        var configured = true;
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (configured)
                {
                    await WaitUntilDownAsync(token).ConfigureAwait(false);
                    logger.LogWarning("wireguard-go for {Interface} is gone; restarting in {Delay}", options.InterfaceName, delay);
                }

                await Task.Delay(delay, token).ConfigureAwait(false);

                // Also retries a configuration that failed while the daemon kept running.
                await BringUpAsync(token).ConfigureAwait(false);
                configured = true;
                Interlocked.Increment(ref restarts);
                backoff.Reset();
                delay = backoff.Next();
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                configured = false;
                logger.LogError(ex, "Bringing wireguard-go for {Interface} back failed; retrying in {Delay}", options.InterfaceName, delay);
                delay = backoff.Next();
            }
        }
    }

    private async Task WaitUntilDownAsync(CancellationToken token)
    {
        if (process is { } p)
        {
            await p.WaitForExitAsync(token).ConfigureAwait(false);
            logger.LogWarning("wireguard-go for {Interface} (PID {Pid}) exited with code {Code}", options.InterfaceName, p.Id, p.ExitCode);
            p.Dispose();
            process = null;
            Volatile.Write(ref currentPid, 0);
            return;
        }

        if (IsAdopted)
        {
            // Not our child: no exit notification, so watch the socket (and the PID when known).
            while ((adoptedPid is not { } pid || ProcessSignals.Exists(pid)) && await Client.IsAliveAsync(token).ConfigureAwait(false))
            {
                await Task.Delay(options.AdoptedPollInterval, token).ConfigureAwait(false);
            }

            IsAdopted = false;
            adoptedPid = null;
            Volatile.Write(ref currentPid, 0);
        }
    }

    private async Task BringUpAsync(CancellationToken token)
    {
        await EnsureRunningAsync(token).ConfigureAwait(false);
        await configure(Client, token).ConfigureAwait(false);
    }

    private async Task EnsureRunningAsync(CancellationToken token)
    {
        if (process is { HasExited: false } || (IsAdopted && await Client.IsAliveAsync(token).ConfigureAwait(false)))
        {
            return;
        }

        process?.Dispose();
        process = null;
        IsAdopted = false;
        adoptedPid = null;
        Volatile.Write(ref currentPid, 0);

        if (await Client.IsAliveAsync(token).ConfigureAwait(false))
        {
            Adopt();
        }
        else
        {
            await LaunchAsync(token).ConfigureAwait(false);
        }
    }

    private void Adopt()
    {
        IsAdopted = true;
        adoptedPid = DaemonIdentity.FindRunningPid(options);
        Volatile.Write(ref currentPid, adoptedPid ?? 0);
        logger.LogInformation(
            "Adopting running wireguard-go for {Interface} (PID {Pid})", options.InterfaceName, adoptedPid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown");
    }

    private async Task LaunchAsync(CancellationToken token)
    {
        var child = new Process { StartInfo = WireGuardGoCommand.Create(options), EnableRaisingEvents = true };
        child.Start();
        process = child;
        IsAdopted = false;
        adoptedPid = null;
        Volatile.Write(ref currentPid, child.Id);
        logger.LogInformation(
            "Started wireguard-go for {Interface} as PID {Pid}, logging to {LogFile}", options.InterfaceName, child.Id, options.LogFile);

        try
        {
            await WaitForSocketAsync(child, token).ConfigureAwait(false);
        }
        catch
        {
            await DaemonTermination.TerminateChildAsync(options, logger, child).ConfigureAwait(false);
            child.Dispose();
            process = null;
            Volatile.Write(ref currentPid, 0);
            throw;
        }
    }

    private async Task WaitForSocketAsync(Process child, CancellationToken token)
    {
        var deadline = Stopwatch.StartNew();
        while (!await Client.IsAliveAsync(token).ConfigureAwait(false))
        {
            if (child.HasExited)
            {
                throw new InvalidOperationException(
                    $"wireguard-go for {options.InterfaceName} exited with code {child.ExitCode} before its UAPI socket {Client.SocketPath} answered.");
            }

            if (deadline.Elapsed > options.StartTimeout)
            {
                throw new TimeoutException(
                    $"wireguard-go for {options.InterfaceName} (PID {child.Id}) did not answer on {Client.SocketPath} within {options.StartTimeout}.");
            }

            await Task.Delay(SocketPollInterval, token).ConfigureAwait(false);
        }
    }
}
