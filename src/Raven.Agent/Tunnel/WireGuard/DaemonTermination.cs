using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Raven.Agent.Linux.Processes;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>Stops a daemon by PID: SIGTERM (wireguard-go then removes its TUN device and socket), SIGKILL after the grace period.</summary>
internal static class DaemonTermination
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static async Task TerminateChildAsync(WireGuardGoOptions options, ILogger logger, Process child)
    {
        if (child.HasExited)
        {
            return;
        }

        ProcessSignals.Send(child.Id, ProcessSignals.SigTerm);
        using var grace = new CancellationTokenSource(options.StopGracePeriod);
        try
        {
            await child.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("wireguard-go PID {Pid} ignored SIGTERM; sending SIGKILL", child.Id);
            child.Kill();
            await child.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    public static async Task TerminateAdoptedAsync(WireGuardGoOptions options, int pid)
    {
        if (!DaemonIdentity.IsOurDaemon(options, pid) || !ProcessSignals.Send(pid, ProcessSignals.SigTerm))
        {
            return;
        }

        var deadline = Stopwatch.StartNew();
        while (ProcessSignals.Exists(pid))
        {
            if (deadline.Elapsed > options.StopGracePeriod)
            {
                ProcessSignals.Send(pid, ProcessSignals.SigKill);
                break;
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }
    }
}
