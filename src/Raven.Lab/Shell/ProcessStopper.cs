using System.Diagnostics;
using System.Globalization;
using Raven.Agent.Linux;

namespace Raven.Lab.Shell;

/// <summary>Stops processes by PID: SIGTERM, a grace period, then SIGKILL for whatever is still alive.</summary>
public sealed class ProcessStopper(ICommandRunner runner, TimeSpan grace)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public async Task StopAsync(IReadOnlyCollection<ProcessIdentity> processes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(processes);
        var alive = processes.Where(p => p.IsAlive).ToList();
        if (alive.Count == 0)
        {
            return;
        }

        await SignalAsync("-TERM", alive, cancellationToken).ConfigureAwait(false);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < grace && alive.Any(p => p.IsAlive))
        {
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }

        var stubborn = alive.Where(p => p.IsAlive).ToList();
        if (stubborn.Count > 0)
        {
            await SignalAsync("-KILL", stubborn, cancellationToken).ConfigureAwait(false);
        }
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
