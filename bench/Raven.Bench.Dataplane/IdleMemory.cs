using System.Diagnostics;
using System.Globalization;
using Raven.TestSupport.Network;

namespace Raven.Bench.Dataplane;

/// <summary>
/// Idle memory of one agent engine. The parent starts this program again as a child (by PID) with <c>idle-child</c>;
/// the child builds the lab, measures its own working set, runs the cloud gateway's engine alone (2 remote peers),
/// lets it settle and measures again. Only one engine lives in that process.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class IdleMemory
{
    public sealed record Result(double ProcessMiB, double BeforeEngineMiB, double ManagedHeapMiB, double WireGuardGoMiB, int SettleSeconds);

    public static async Task<Result> MeasureInChildAsync(int settleSeconds)
    {
        var self = Environment.ProcessPath!;
        List<string> arguments = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? [typeof(IdleMemory).Assembly.Location, "idle-child", settleSeconds.ToString(CultureInfo.InvariantCulture)]
            : ["idle-child", settleSeconds.ToString(CultureInfo.InvariantCulture)];
        using var child = BackgroundProcess.Start(self, arguments);
        if (!await child.WaitAsync(TimeSpan.FromSeconds(settleSeconds + 120)))
        {
            throw new TimeoutException("idle child did not finish");
        }

        var line = child.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith("IDLE ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"idle child printed no result: {child.StandardError}");
        var v = line[5..].Split(' ').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        return new Result(v[0], v[1], v[2], v[3], settleSeconds);
    }

    public static async Task<int> RunChildAsync(int settleSeconds)
    {
        await using var lab = await AgentLab.CreateAsync(area: BenchArea.Name);
        Settle();
        double before = WorkingSetMiB();
        var node = lab["cloud-gw"];
        await node.StartAsync(lab.Inputs, run: true);
        await AgentLab.WaitUntilAsync(() => node.Engine!.LastReport is { Succeeded: true }, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(settleSeconds));
        Settle();
        double after = WorkingSetMiB();
        double heap = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
        double wg = DaemonPid.Find(node.WireGuardInterface) is { } pid ? RssMiB(pid) : double.NaN;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"IDLE {after:0.0} {before:0.0} {heap:0.0} {wg:0.0}"));
        return 0;
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double WorkingSetMiB()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64 / 1048576.0;
    }

    private static double RssMiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
