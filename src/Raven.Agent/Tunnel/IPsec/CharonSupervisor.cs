using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Linux;
using Raven.Agent.Linux.Processes;
using Raven.Agent.Tunnel.WireGuard;
using Raven.Kube.Resilience;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// Runs one agent's private charon, tracked by PID: writes its strongswan.conf, starts it in a private mount
/// namespace, records its PID and start time, restarts it when it dies (then calls back so the caller reloads
/// secrets and connections, which a new charon has lost), and stops it by PID. A charon that answers on the
/// agent's VICI socket and matches the record is adopted (agent restart), so its SAs are never touched.
/// </summary>
public sealed class CharonSupervisor : IAsyncDisposable
{
    private static readonly TimeSpan SocketPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly CharonOptions options;
    private readonly string settings;
    private readonly string settingsDigest;
    private readonly Func<CancellationToken, Task> restarted;
    private readonly ILogger logger;
    private CancellationTokenSource? supervision;
    private Task? supervisionTask;
    private Process? child;
    private readonly Lock stateLock = new();
    private ProcessIdentity? running;
    private int restarts;

    /// <param name="libipsec">Load kernel-libipsec (userspace ESP behind a TUN device) instead of kernel ESP.</param>
    /// <param name="restarted">Called after the supervisor brought charon back (not after <see cref="StartAsync"/>).</param>
    public CharonSupervisor(CharonOptions options, bool libipsec, Func<CancellationToken, Task> restarted, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(restarted);
        options.Validate();
        this.options = options;
        this.restarted = restarted;
        this.logger = logger ?? NullLogger.Instance;
        UsesLibipsec = libipsec;
        settings = StrongswanConf.Render(options, libipsec);
        settingsDigest = CharonRecord.DigestOf(settings);
        Client = new CharonClient(new ViciClient(options.SocketPath));
    }

    public CharonClient Client { get; }

    public bool UsesLibipsec { get; }

    /// <summary>The running charon; null when none is known.</summary>
    public ProcessIdentity? Process => Running;

    // Read by the tunnel while the supervision task replaces it; a nullable struct is not written atomically.
    private ProcessIdentity? Running
    {
        get
        {
            lock (stateLock)
            {
                return running;
            }
        }

        set
        {
            lock (stateLock)
            {
                running = value;
            }
        }
    }

    /// <summary>True when the running charon was found already running rather than started by this supervisor.</summary>
    public bool IsAdopted { get; private set; }

    /// <summary>How many times charon was brought back after it went away.</summary>
    public int Restarts => Volatile.Read(ref restarts);

    /// <summary>Adopts or starts charon, then keeps supervising it in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (supervisionTask is not null)
        {
            throw new InvalidOperationException($"The charon supervisor for {options.StateDirectory} is already started.");
        }

        await EnsureRunningAsync(cancellationToken).ConfigureAwait(false);
        supervision = new CancellationTokenSource();
        var token = supervision.Token;
        supervisionTask = Task.Run(() => SuperviseAsync(token), CancellationToken.None);
    }

    /// <summary>Stops supervising and terminates charon by PID, also one recorded by an earlier agent.</summary>
    public async Task StopAsync()
    {
        await StopSupervisingAsync().ConfigureAwait(false);
        var target = Running ?? RecordedCharon();
        if (target is { } charon)
        {
            await CharonTermination.StopAsync(charon, child, options.StopGracePeriod, logger).ConfigureAwait(false);
            logger.LogInformation("Stopped charon PID {Pid}", charon.Pid);
        }

        child?.Dispose();
        child = null;
        Running = null;
        IsAdopted = false;
        CharonIdentityFile.Delete(options.IdentityPath);
        DeleteStaleSocket();
    }

    /// <summary>Stops supervising but leaves charon running, so the data plane survives an agent restart.</summary>
    public async Task DetachAsync()
    {
        await StopSupervisingAsync().ConfigureAwait(false);
        child?.Dispose();
        child = null;
        Running = null;
        IsAdopted = false;
    }

    public async ValueTask DisposeAsync() => await DetachAsync().ConfigureAwait(false);

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
        var healthy = true;
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (healthy)
                {
                    await WaitUntilDownAsync(token).ConfigureAwait(false);
                    logger.LogWarning("charon for {StateDirectory} is gone; restarting in {Delay}", options.StateDirectory, delay);
                }

                await Task.Delay(delay, token).ConfigureAwait(false);
                if (await EnsureRunningAsync(token).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref restarts);
                }

                // Also retries a reload that failed while charon kept running.
                await restarted(token).ConfigureAwait(false);
                healthy = true;
                backoff.Reset();
                delay = backoff.Next();
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                healthy = false;
                logger.LogError("Bringing charon for {StateDirectory} back failed, retrying in {Delay}: {Error}", options.StateDirectory, delay, ex.Message);
                delay = backoff.Next();
            }
        }
    }

    private async Task WaitUntilDownAsync(CancellationToken token)
    {
        if (child is { } process)
        {
            await process.WaitForExitAsync(token).ConfigureAwait(false);
            logger.LogWarning("charon PID {Pid} exited with code {Code}", process.Id, process.ExitCode);
        }
        else
        {
            // Not our child: no exit notification, so watch the PID and the socket.
            while (Running is { IsAlive: true } && await Client.Vici.IsAliveAsync(token).ConfigureAwait(false))
            {
                await Task.Delay(options.AdoptedPollInterval, token).ConfigureAwait(false);
            }
        }

        child?.Dispose();
        child = null;
        Running = null;
        IsAdopted = false;
    }

    /// <summary>True when it had to adopt or start a charon; false when the known one still answers.</summary>
    private async Task<bool> EnsureRunningAsync(CancellationToken token)
    {
        if (Running is { IsAlive: true } && await Client.Vici.IsAliveAsync(token).ConfigureAwait(false))
        {
            return false;
        }

        Directory.CreateDirectory(options.StateDirectory);
        var recorded = CharonIdentityFile.Read(options.IdentityPath);
        if (await Client.Vici.IsAliveAsync(token).ConfigureAwait(false) && Listener() is { } listener)
        {
            if (recorded is { } record && record.Process == listener && record.SettingsDigest == settingsDigest)
            {
                Adopt(listener, "its recorded PID and start time match");
                return true;
            }

            if (recorded?.Process == listener)
            {
                // charon reads strongswan.conf once: a changed file only takes effect in a new charon.
                logger.LogWarning("charon PID {Pid} on {Socket} runs with other settings; restarting it", listener.Pid, options.SocketPath);
            }
            else
            {
                // Unknown settings (e.g. the agent died between starting it and recording it): start afresh.
                logger.LogWarning("charon PID {Pid} on {Socket} is not the recorded one; stopping it", listener.Pid, options.SocketPath);
            }

            await CharonTermination.StopAsync(listener, null, options.StopGracePeriod, logger).ConfigureAwait(false);
        }
        else if (recorded is { Process: { IsAlive: true } stale } && IsCharon(stale.Pid))
        {
            logger.LogWarning("Recorded charon PID {Pid} does not answer on {Socket}; stopping it", stale.Pid, options.SocketPath);
            await CharonTermination.StopAsync(stale, null, options.StopGracePeriod, logger).ConfigureAwait(false);
        }

        await LaunchAsync(token).ConfigureAwait(false);
        return true;
    }

    /// <summary>The charon listening on our socket (SO_PEERCRED), if it is one.</summary>
    private ProcessIdentity? Listener() =>
        UnixSocketPeer.ProcessIdOf(options.SocketPath) is { } pid && IsCharon(pid) ? ProcessIdentity.Of(pid) : null;

    private bool IsCharon(int pid) =>
        ProcessSignals.CommandLine(pid) is [var executable, ..] && Path.GetFileName(executable) == Path.GetFileName(options.Executable);

    private ProcessIdentity? RecordedCharon() =>
        CharonIdentityFile.Read(options.IdentityPath) is { Process: { IsAlive: true } process } && IsCharon(process.Pid) ? process : null;

    private void Adopt(ProcessIdentity charon, string why)
    {
        Running = charon;
        IsAdopted = true;
        logger.LogInformation("Adopting running charon PID {Pid} ({Why})", charon.Pid, why);
    }

    private async Task LaunchAsync(CancellationToken token)
    {
        DeleteStaleSocket();
        WriteSettings();
        var process = new System.Diagnostics.Process { StartInfo = CharonCommand.Create(options), EnableRaisingEvents = true };
        process.Start();
        var identity = ProcessIdentity.Of(process.Id);
        if (identity is null)
        {
            await process.WaitForExitAsync(token).ConfigureAwait(false);
            var code = process.ExitCode;
            process.Dispose();
            throw new InvalidOperationException($"charon exited with code {code} right after starting; see {options.StdioPath} and {options.LogPath}.");
        }

        child = process;
        Running = identity;
        IsAdopted = false;
        CharonIdentityFile.Write(options.IdentityPath, new CharonRecord(identity.Value, settingsDigest));
        logger.LogInformation(
            "Started charon ({Backend}) as PID {Pid}, VICI {Socket}, log {Log}",
            UsesLibipsec ? "kernel-libipsec" : "kernel ESP", process.Id, options.SocketPath, options.LogPath);

        try
        {
            await WaitForSocketAsync(process, token).ConfigureAwait(false);
        }
        catch
        {
            await CharonTermination.StopAsync(identity.Value, process, options.StopGracePeriod, logger).ConfigureAwait(false);
            process.Dispose();
            child = null;
            Running = null;
            CharonIdentityFile.Delete(options.IdentityPath);
            throw;
        }
    }

    private async Task WaitForSocketAsync(System.Diagnostics.Process process, CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        while (!await Client.Vici.IsAliveAsync(token).ConfigureAwait(false))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"charon exited with code {process.ExitCode} before its VICI socket {options.SocketPath} answered; see {options.LogPath} and {options.StdioPath}.");
            }

            if (clock.Elapsed > options.StartTimeout)
            {
                throw new TimeoutException($"charon PID {process.Id} did not answer on {options.SocketPath} within {options.StartTimeout}.");
            }

            await Task.Delay(SocketPollInterval, token).ConfigureAwait(false);
        }
    }

    private void WriteSettings()
    {
        if (!File.Exists(options.ConfigPath) || File.ReadAllText(options.ConfigPath) != settings)
        {
            File.WriteAllText(options.ConfigPath, settings);
        }
    }

    // Only called when nothing answers on the socket (or its charon is being replaced). A killed charon's main
    // thread reads as a zombie while its other threads are still exiting and hold the listening socket, so
    // connecting still succeeds for a moment: a listener that is no live process counts as gone (seen in CI).
    private void DeleteStaleSocket()
    {
        if (File.Exists(options.SocketPath) && (UnixSocketPeer.ProcessIdOf(options.SocketPath) is not { } pid || ProcessIdentity.Of(pid) is null))
        {
            File.Delete(options.SocketPath);
        }
    }
}
