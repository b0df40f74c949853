using System.Diagnostics;
using Raven.Agent.Linux.Processes;
using Raven.Lab.Build;
using Raven.Lab.Shell;
using Raven.Lab.Topology;
using Raven.TestSupport;

using Xunit.Abstractions;

namespace Raven.Network.Tests.Lab;

/// <summary>up / up again / down / down again under its own prefix, with a tracked process inside a node.</summary>
[Collection(LabCollection.Name)]
public sealed class LabLifecycleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Prefix = "rvt-labc-";
    private readonly LabTopology topology = LabTopology.Seed(Prefix);
    private readonly LabBuilder builder = new(
        new ProcessCommandRunner(),
        LabOptions.For(new LabNames(Prefix)) with { StateDirectory = LabTopologyFixture.StateDirectory(Prefix) });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await builder.DownAsync(topology.Names, CancellationToken.None);
        var state = LabTopologyFixture.StateDirectory(Prefix);
        if (Directory.Exists(state))
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task Up_twice_then_down_leaves_nothing_and_stops_tracked_processes()
    {
        output.WriteLine((await builder.UpAsync(topology, CancellationToken.None)).ToString());
        var log = Path.Combine(LabTopologyFixture.StateDirectory(Prefix), "logs", "pinger.log");
        if (File.Exists(log))
        {
            File.Delete(log);
        }

        var launcher = new LabProcessLauncher(topology.Names, builder.Processes);
        using var pinger = launcher.Start("pinger", topology.Names.Node(topology.Node("qd-1")), "ping", ["-n", "-i", "0.2", "127.0.0.1"], log);
        builder.Processes.Entries().Should().ContainKey("pinger").WhoseValue.Pid.Should().Be(pinger.Id);
        (await EventuallyAsync(() => File.Exists(log) && File.ReadAllText(log).Contains("bytes from 127.0.0.1", StringComparison.Ordinal)))
            .Should().BeTrue("the process runs in the node namespace with its output in the log");

        var again = await builder.UpAsync(topology, CancellationToken.None);
        output.WriteLine(again.ToString());

        again.Teardown.RemovedNamespaces.Should().BeEquivalentTo(topology.Namespaces);
        again.Teardown.StoppedProcesses.Should().Be(1);
        (await pinger.WaitForExitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        LabBuilder.ExistingNamespaces(Prefix).Should().BeEquivalentTo(topology.Namespaces);

        var down = await builder.DownAsync(topology.Names, CancellationToken.None);
        output.WriteLine(down.ToString());
        LabBuilder.ExistingNamespaces(Prefix).Should().BeEmpty();
        builder.Processes.Entries().Should().BeEmpty();

        var idle = await builder.DownAsync(topology.Names, CancellationToken.None);
        idle.RemovedNamespaces.Should().BeEmpty();
        idle.StoppedProcesses.Should().Be(0);
    }

    [Fact]
    public async Task A_stray_process_left_inside_a_lab_namespace_is_stopped_by_down()
    {
        await builder.UpAsync(topology, CancellationToken.None);
        using var stray = StartInNamespace(topology.Names.Pod(topology.Node("hz-1")), "sleep", "300");

        var down = await builder.DownAsync(topology.Names, CancellationToken.None);

        down.StoppedProcesses.Should().Be(1);
        (await stray.WaitForExitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        LabBuilder.ExistingNamespaces(Prefix).Should().BeEmpty();
    }

    [Fact]
    public async Task Down_returns_only_when_the_processes_it_stopped_are_gone_from_the_process_table()
    {
        await builder.UpAsync(topology, CancellationToken.None);
        // Daemons as the agents leave them: orphans inside a node namespace (wireguard-go outlives a detached
        // agent), one of them deaf to SIGTERM so it needs the SIGKILL after the grace period.
        var node = topology.Names.Node(topology.Node("hz-1"));
        var polite = StartOrphan(node, "exec sleep 300");
        var stubborn = StartOrphan(node, "trap '' TERM; exec sleep 300");

        await builder.DownAsync(topology.Names, CancellationToken.None);

        // What `pgrep` sees right after `raven lab down`: a zombie not yet reaped still counts.
        Directory.Exists($"/proc/{polite}").Should().BeFalse("a process down stopped is gone when down returns");
        Directory.Exists($"/proc/{stubborn}").Should().BeFalse("a process that needed SIGKILL is gone when down returns");
    }

    /// <summary>Starts a shell snippet in the background inside a namespace and returns its PID once its parent has exited.</summary>
    private static int StartOrphan(string netns, string script)
    {
        var result = Raven.TestSupport.Network.Shell.Run("ip", "netns", "exec", netns, "sh", "-c", $"({script}) >/dev/null 2>&1 & echo $!");
        return int.Parse(result.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<bool> EventuallyAsync(Func<bool> condition) =>
        Poll.TryUntilAsync(condition, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));

    private static Process StartInNamespace(string netns, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(ProcessCommandRunner.Resolve("ip")) { UseShellExecute = false };
        foreach (var argument in new[] { "netns", "exec", netns, program }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start " + program);
    }
}

internal static class ProcessExtensions
{
    public static async Task<bool> WaitForExitAsync(this Process process, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
