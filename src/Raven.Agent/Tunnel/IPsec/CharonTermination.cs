using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Raven.Agent.Linux;
using Raven.Agent.Linux.Processes;
using Raven.Agent.Tunnel.WireGuard;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// Stops charon by PID: SIGTERM (charon then deletes its SAs with an IKE DELETE, removes ipsecN and its routes),
/// SIGKILL after the grace period, and returns only once the process is gone. The identity is checked right before
/// each signal, so a PID the kernel has reused is never signalled.
/// </summary>
internal static class CharonTermination
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(10);

    public static async Task StopAsync(ProcessIdentity charon, Process? child, TimeSpan grace, ILogger logger)
    {
        if (!charon.IsAlive || !ProcessSignals.Send(charon.Pid, ProcessSignals.SigTerm))
        {
            await ReapAsync(child).ConfigureAwait(false);
            return;
        }

        if (!await WaitGoneAsync(charon, grace).ConfigureAwait(false) && charon.IsAlive)
        {
            logger.LogWarning("charon PID {Pid} ignored SIGTERM for {Grace}; sending SIGKILL", charon.Pid, grace);
            ProcessSignals.Send(charon.Pid, ProcessSignals.SigKill);
            if (!await WaitGoneAsync(charon, ReapTimeout).ConfigureAwait(false))
            {
                throw new TimeoutException($"charon PID {charon.Pid} was still running {ReapTimeout} after SIGKILL.");
            }
        }

        await ReapAsync(child).ConfigureAwait(false);
    }

    private static async Task<bool> WaitGoneAsync(ProcessIdentity charon, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        while (charon.IsAlive)
        {
            if (clock.Elapsed >= bound)
            {
                return false;
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }

        return true;
    }

    // Our own child leaves a zombie until it is waited for; Process does that.
    private static async Task ReapAsync(Process? child)
    {
        if (child is not null)
        {
            using var bound = new CancellationTokenSource(ReapTimeout);
            await child.WaitForExitAsync(bound.Token).ConfigureAwait(false);
        }
    }
}
