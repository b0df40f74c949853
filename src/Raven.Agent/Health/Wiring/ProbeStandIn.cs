using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Raven.Agent.Health.Probing;
using Raven.Agent.Health.Protocol;
using Raven.Agent.Linux;
using Raven.Agent.Linux.Processes;

namespace Raven.Agent.Health.Wiring;

/// <summary>
/// Keeps the probe port answering while the agent restarts (docs/health-probes.md §7). The responder lives in the agent,
/// so without it a restart looked like a dead gateway: the standby took the domain over and handed it back after the
/// hold-down, two moves per restart. On SIGTERM the agent starts `raven agent probe-stand-in`, a responder of its own
/// that answers with the agent's last claim on the same port (SO_REUSEPORT), and exits only once it is bound. The next
/// agent binds beside it, takes the claim back and stops it by PID. The stand-in is the agent's child, so it shares
/// the tunnel daemons' fate: where a container runtime kills them with the agent's container, it dies too and the
/// domain fails over, as it must; where they outlive the agent, so does the stand-in, and nothing moves. It gives up
/// after a hold (the agent's --stop-lease-hold), so a node whose agent never returns fails over then.
/// </summary>
public static class ProbeStandIn
{
    /// <summary>The stand-in's record in the agent's state directory: "PID STARTTIME CLAIM", written once it is bound.</summary>
    public const string RecordFile = "probe-stand-in";

    /// <summary>The stand-in's log, in the agent's state directory (appended to by every stand-in of the node).</summary>
    public const string LogFile = "probe-stand-in.log";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>A running stand-in: who it is and the claim it answers with.</summary>
    public readonly record struct Running(ProcessIdentity Process, GatewayClaim Claim);

    /// <summary>How to run this very raven again: its apphost, or dotnet and its entry assembly.</summary>
    public static IReadOnlyList<string> OwnCommand()
    {
        var path = Environment.ProcessPath ?? "raven";
        return Path.GetFileNameWithoutExtension(path) == "dotnet" && System.Reflection.Assembly.GetEntryAssembly()?.Location is { Length: > 0 } entry
            ? [path, entry]
            : [path];
    }

    /// <summary>The stand-in's arguments after `raven`.</summary>
    public static IReadOnlyList<string> Arguments(string nodeName, int port, GatewayClaim claim, TimeSpan hold, string stateDirectory) =>
    [
        "agent", "probe-stand-in", "--node-name", nodeName, "--port", port.ToString(CultureInfo.InvariantCulture),
        "--claim", claim.Packed.ToString(CultureInfo.InvariantCulture), "--hold", $"{(long)Math.Ceiling(hold.TotalSeconds)}s", "--state-dir", stateDirectory,
    ];

    /// <summary>
    /// Starts the stand-in (<paramref name="raven"/> + <see cref="Arguments"/>). It inherits the agent's environment, so
    /// its $VPN_CONNECTION_PSK. Null (logged) when it cannot start: the restart then costs a failover.
    /// </summary>
    /// <param name="stateDirectory">Where its log goes (the directory its arguments name).</param>
    public static Process? Launch(IReadOnlyList<string> raven, IReadOnlyList<string> arguments, string stateDirectory, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(raven);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(logger);
        // Its output goes to a log file in the state directory, never to the agent's own stdout: a child that kept the
        // agent's pipe open would keep whoever reads the agent's output waiting for end-of-file after the agent exited.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" </dev/null >>\"$RAVEN_STAND_IN_LOG\" 2>&1");
        foreach (var argument in raven.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["RAVEN_STAND_IN_LOG"] = Path.Combine(stateDirectory, LogFile);

        try
        {
            return Process.Start(start) ?? throw new IOException($"could not start {raven[0]}");
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception)
        {
            logger.LogWarning("probe stand-in did not start ({Error}): this restart costs a failover", e.Message);
            return null;
        }
    }

    /// <summary>
    /// Waits until the launched stand-in has bound and recorded itself, at most until <paramref name="cancellationToken"/>
    /// fires. True when it answers now; false (logged) otherwise. The stand-in runs on either way.
    /// </summary>
    public static async Task<bool> WaitUntilBoundAsync(Process child, string stateDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(child);
        ArgumentNullException.ThrowIfNull(logger);
        try
        {
            while (!child.HasExited)
            {
                if (Find(stateDirectory) is { } running && running.Process.Pid == child.Id)
                {
                    logger.LogInformation("probe stand-in pid {Pid} answers for this node ({Claim}) until the next agent takes over", child.Id, running.Claim);
                    return true;
                }

                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }

            logger.LogWarning("probe stand-in exited with {Code} before it was bound: this restart costs a failover", child.ExitCode);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("probe stand-in pid {Pid} was not bound yet when this agent had to exit: the probe port may go unanswered until it is", child.Id);
        }

        return false;
    }

    /// <summary>The stand-in this node's previous agent left, if it still runs.</summary>
    public static Running? Find(string stateDirectory)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(stateDirectory, RecordFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 3 && ProcessIdentity.Parse($"{parts[0]} {parts[1]}") is { IsAlive: true } process &&
               long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var packed)
            ? new Running(process, GatewayClaim.FromPacked(packed))
            : null;
    }

    /// <summary>
    /// Stops a stand-in by PID (only while it is still the recorded process) and forgets it; waits up to
    /// <paramref name="wait"/> for it to be gone (cleanup: nothing of Raven's may run once it returns).
    /// </summary>
    public static void Stop(string stateDirectory, Running running, TimeSpan wait = default)
    {
        if (running.Process.IsAlive)
        {
            ProcessSignals.Send(running.Process.Pid, ProcessSignals.SigTerm);
            SpinWait.SpinUntil(() => !running.Process.IsAlive, wait);
        }

        if (Find(stateDirectory) is not { } recorded || recorded.Process == running.Process)
        {
            File.Delete(Path.Combine(stateDirectory, RecordFile));
        }
    }

    /// <summary>`raven agent probe-stand-in`: binds, records itself, answers with <paramref name="claim"/> until the hold ends or it is stopped.</summary>
    public static async Task RunAsync(string nodeName, int port, GatewayClaim claim, TimeSpan hold, string stateDirectory, ProbeKey? key, ILogger logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logger);
        await using var responder = ProbeResponder.Start(new ResponderOptions { NodeName = nodeName, Port = port }, key, new ResponderState(claim), logger: logger);
        var self = ProcessIdentity.Of(Environment.ProcessId) ?? throw new InvalidOperationException("cannot read this process's identity");
        var record = Path.Combine(stateDirectory, RecordFile);
        Directory.CreateDirectory(stateDirectory);
        await File.WriteAllTextAsync(record + ".tmp", $"{self} {claim.Packed.ToString(CultureInfo.InvariantCulture)}\n", CancellationToken.None).ConfigureAwait(false);
        File.Move(record + ".tmp", record, overwrite: true);
        logger.LogInformation("probe stand-in for {Node} on udp {Endpoint}: {Claim}, for at most {Seconds:0}s", nodeName, responder.LocalEndPoint, claim, hold.TotalSeconds);
        try
        {
            await Task.Delay(hold, cancellationToken).ConfigureAwait(false);
            logger.LogWarning("probe stand-in for {Node}: no agent took over within {Seconds:0}s; stopping (the domain fails over now)", nodeName, hold.TotalSeconds);
        }
        catch (OperationCanceledException)
        {
            logger.LogInformation("probe stand-in for {Node}: stopped (the next agent took over, or `raven agent cleanup`)", nodeName);
        }

        if (Find(stateDirectory) is { } recorded && recorded.Process == self)
        {
            File.Delete(record);
        }
    }
}
