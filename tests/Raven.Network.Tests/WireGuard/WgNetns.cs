using System.Diagnostics;
using Raven.Agent.Linux.Processes;
using Raven.Agent.Tunnel.WireGuard;
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

        if (!Directory.Exists(NetnsDirectory))
        {
            return;
        }

        foreach (var path in Directory.GetFiles(NetnsDirectory, Prefix + "*"))
        {
            await DeleteNamespaceAsync(Path.GetFileName(path));
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
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within 30 s.");
        }

        await output;
        return (process.ExitCode, (await error).Trim());
    }
}
