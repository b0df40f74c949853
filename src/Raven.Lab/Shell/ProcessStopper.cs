using System.Diagnostics;
using System.Globalization;
using Raven.Agent.Linux;
using Raven.Agent.Linux.Processes;

namespace Raven.Lab.Shell;

/// <summary>
/// Stops processes by PID: SIGTERM, a grace period, SIGKILL for whatever is still alive, then waits (bounded) until
/// every one of them has left the process table, so the caller can start the same daemons again at once. A zombie
/// counts as still there: pgrep lists it and its parent (often init, for daemons whose agent detached) may reap it
/// only later.
/// </summary>
public sealed class ProcessStopper(ICommandRunner runner, TimeSpan grace)
{
    /// <summary>How long to wait after SIGKILL for the kernel to finish the processes and their parents to reap them.</summary>
    public static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <exception cref="TimeoutException">Some process was still in the process table <see cref="ReapTimeout"/> after SIGKILL.</exception>
    public async Task StopAsync(IReadOnlyCollection<ProcessIdentity> processes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(processes);
        var present = processes.Where(p => p.IsPresent).ToList();
        if (present.Count == 0)
        {
            return;
        }

        await SignalAsync("-TERM", present, cancellationToken).ConfigureAwait(false);
        await WaitAsync(present, p => p.IsAlive, grace, cancellationToken).ConfigureAwait(false);

        var stubborn = present.Where(p => p.IsAlive).ToList();
        if (stubborn.Count > 0)
        {
            await SignalAsync("-KILL", stubborn, cancellationToken).ConfigureAwait(false);
        }

        if (!await WaitAsync(present, p => p.IsPresent, ReapTimeout, cancellationToken).ConfigureAwait(false))
        {
            var left = present.Where(p => p.IsPresent).Select(p => p.Pid.ToString(CultureInfo.InvariantCulture));
            throw new TimeoutException($"processes {string.Join(", ", left)} were still in the process table {ReapTimeout.TotalSeconds:0}s after SIGKILL");
        }
    }

    /// <summary>Polls until no process matches <paramref name="stillThere"/>; false when the bound passed first.</summary>
    private static async Task<bool> WaitAsync(List<ProcessIdentity> processes, Func<ProcessIdentity, bool> stillThere, TimeSpan bound, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (processes.Any(stillThere))
        {
            if (deadline.Elapsed >= bound)
            {
                return false;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
    private async Task SignalAsync(string signal, IEnumerable<ProcessIdentity> processes, CancellationToken cancellationToken)
    {
        // Checked again right before signalling, so a PID reused in the meantime is left alone.
        var targets = processes.Where(p => p.IsAlive).Select(p => p.Pid.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (targets.Length > 0)
        {
            // kill fails when a target exited meanwhile; that is the outcome we want, so the exit code is ignored.
            await runner.RunAsync(new CommandLine("kill", [signal, "--", .. targets]), cancellationToken).ConfigureAwait(false);
        }
    }
}
