using System.Diagnostics;
using System.Globalization;
using Raven.Agent.Linux;
using Raven.Agent.Linux.Processes;
using Raven.Lab.Shell;
using Raven.Lab.Topology;

namespace Raven.Lab.Build;

/// <summary>
/// Builds and removes the lab's namespaces. <c>up</c> always starts with <c>down</c>, so it works after a crash and
/// when run twice; <c>down</c> only ever touches namespaces carrying the lab's prefix and processes recorded (or
/// found running) in them, and is a no-op when nothing exists.
/// </summary>
public sealed class LabBuilder(ICommandRunner runner, LabOptions options)
{
    /// <summary>Where iproute2 keeps named namespaces (one file per namespace).</summary>
    public const string NetnsDirectory = "/var/run/netns";

    public LabProcessTable Processes { get; } = new(options.StateDirectory);

    public async Task<LabBuildReport> UpAsync(LabTopology topology, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var stages = LabBuildPlan.Create(topology);
        var total = Stopwatch.StartNew();
        var teardown = await DownAsync(topology.Names, cancellationToken).ConfigureAwait(false);
        var timings = new List<StageTiming>();
        try
        {
            foreach (var stage in stages)
            {
                var watch = Stopwatch.StartNew();
                await RunStageAsync(stage, cancellationToken).ConfigureAwait(false);
                timings.Add(new StageTiming(stage.Name, stage.Jobs.Count, stage.Jobs.Sum(j => j.Commands.Count), watch.Elapsed));
            }
        }
        catch
        {
            // A half-built lab is worse than none: the next up would start from it anyway.
            await DownAsync(topology.Names, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return new LabBuildReport(teardown, timings, total.Elapsed);
    }

    public async Task<LabTeardownReport> DownAsync(LabNames names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        var watch = Stopwatch.StartNew();
        var stopper = new ProcessStopper(runner, options.StopGrace);
        var recorded = Processes.Entries().Values.Where(p => p.IsPresent).ToList();
        await Processes.StopAllAsync(stopper, cancellationToken).ConfigureAwait(false);

        var namespaces = ExistingNamespaces(names.Prefix);
        var strays = await ProcessesInAsync(namespaces, cancellationToken).ConfigureAwait(false);
        await stopper.StopAsync(strays, cancellationToken).ConfigureAwait(false);

        var deletions = namespaces.Select(n => new LabJob(n, [new CommandLine("ip", "netns", "del", n)])).ToList();
        await RunStageAsync(new LabStage("delete namespaces", deletions), cancellationToken, ignoreVanished: true).ConfigureAwait(false);
        var left = ExistingNamespaces(names.Prefix);
        if (left.Count > 0)
        {
            throw new LabBuildException($"namespaces still present after teardown: {string.Join(", ", left)}");
        }

        return new LabTeardownReport(namespaces, recorded.Count + strays.Count, watch.Elapsed);
    }

    /// <summary>Named namespaces whose name starts with the prefix, read from iproute2's directory.</summary>
    public static IReadOnlyList<string> ExistingNamespaces(string prefix)
    {
        var problem = LabNames.CheckPrefix(prefix);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(prefix));
        }

        return Directory.Exists(NetnsDirectory)
            ? Directory.EnumerateFiles(NetnsDirectory)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
    }

    private async Task<IReadOnlyList<ProcessIdentity>> ProcessesInAsync(IReadOnlyList<string> namespaces, CancellationToken cancellationToken)
    {
        var found = new List<ProcessIdentity>();
        foreach (var netns in namespaces)
        {
            var result = await runner.RunAsync(new CommandLine("ip", "netns", "pids", netns), cancellationToken).ConfigureAwait(false);
            found.AddRange(result.StandardOutput
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? ProcessIdentity.Of(pid) : null)
                .OfType<ProcessIdentity>());
        }

        return found;
    }

    private async Task RunStageAsync(LabStage stage, CancellationToken cancellationToken, bool ignoreVanished = false)
    {
        using var gate = new SemaphoreSlim(options.MaxParallelism);
        var failures = new List<string>();
        await Task.WhenAll(stage.Jobs.Select(RunJobAsync)).ConfigureAwait(false);
        if (failures.Count > 0)
        {
            throw new LabBuildException($"lab stage '{stage.Name}' failed:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
        }

        async Task RunJobAsync(LabJob job)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                foreach (var command in job.Commands)
                {
                    var result = await runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
                    if (!result.Succeeded && !(ignoreVanished && !File.Exists(Path.Combine(NetnsDirectory, job.Namespace))))
                    {
                        lock (failures)
                        {
                            failures.Add(new CommandFailedException(command, result).Message);
                        }

                        return;
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
