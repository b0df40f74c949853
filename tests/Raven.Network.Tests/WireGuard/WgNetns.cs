using System.Diagnostics;
using Raven.Agent.Linux.Processes;
using Raven.Agent.Tunnel.WireGuard;
using Raven.Lab.Build;
using Raven.TestSupport;

namespace Raven.Network.Tests.WireGuard;

/// <summary>
/// Private namespace helpers for the WireGuard root tests: runs `ip` and `ping`, and clears what a crashed
/// earlier run left behind (only `rvt-wg-*` namespaces and this suite's own daemons, found by PID).
/// </summary>
internal static class WgNetns
{
    public const string Prefix = "rvt-wg-";
    private const string NetnsDirectory = "/var/run/netns";

    public static async Task IpAsync(params string[] arguments)
    {
        var (exitCode, error) = await RunAsync("ip", arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({exitCode}): {error}");
        }
    }

    public static async Task<bool> PingAsync(string ns, string address)
    {
        var (exitCode, _) = await RunAsync("ip", ["netns", "exec", ns, "ping", "-c1", "-W1", address]);
        return exitCode == 0;
    }

    /// <summary>Pings until one reply arrives or the deadline passes (the first ping also triggers the handshake).</summary>
    public static async Task<bool> WaitForPingAsync(string ns, string address, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            if (await PingAsync(ns, address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Polls a condition until it holds or the deadline passes.</summary>
    public static Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan deadline) =>
        Poll.TryUntilAsync(condition, deadline, TimeSpan.FromMilliseconds(50));

    public static async Task RemoveLeftoversAsync(IEnumerable<string> interfaceNames)
    {
        foreach (var name in interfaceNames)
        {
            var options = new WireGuardGoOptions { InterfaceName = name };
            if (DaemonIdentity.FindRunningPid(options) is { } pid)
            {
                ProcessSignals.Send(pid, ProcessSignals.SigKill);
                await WaitUntilAsync(() => Task.FromResult(!ProcessSignals.Exists(pid)), TimeSpan.FromSeconds(10));
            }
        }

        foreach (var name in LabBuilder.ExistingNamespaces(Prefix))
        {
            await DeleteNamespaceAsync(name);
        }
    }

    public static async Task DeleteNamespaceAsync(string ns)
    {
        if (File.Exists(Path.Combine(NetnsDirectory, ns)))
        {
            await RunAsync("ip", ["netns", "del", ns]);
        }
    }

    private static async Task<(int ExitCode, string Error)> RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            var result = await new ProcessCommandRunner().RunAsync(new CommandLine(fileName, arguments), timeout.Token);
            return (result.ExitCode, result.StandardError.Trim());
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within 30 s.");
        }
    }
}
