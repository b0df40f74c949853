using Raven.Agent.Linux.Processes;
using Raven.Lab.Build;
using Raven.Lab.Shell;
using Raven.Lab.Topology;

namespace Raven.Network.Tests.Lab;

/// <summary>
/// Builds the seed topology once for the collection under the test prefix <c>rvt-lab-</c> (so it never collides
/// with a running <c>raven lab</c>) and removes it afterwards. Building starts with a teardown of the prefix, which
/// clears what a crashed earlier run left behind.
/// </summary>
public sealed class LabTopologyFixture : IAsyncLifetime
{
    public const string Prefix = "rvt-lab-";

    public LabTopologyFixture()
    {
        Topology = LabTopology.Seed(Prefix);
        Builder = new LabBuilder(Runner, LabOptions.For(Topology.Names) with { StateDirectory = StateDirectory(Prefix) });
    }

    public ICommandRunner Runner { get; } = new ProcessCommandRunner();

    public LabTopology Topology { get; }

    public LabBuilder Builder { get; }

    public LabBuildReport? Report { get; private set; }

    /// <summary>Test state lives apart from the real lab's /run/raven-lab.</summary>
    public static string StateDirectory(string prefix) => Path.Combine(Path.GetTempPath(), "raven-lab-tests", prefix.TrimEnd('-'));

    public async Task InitializeAsync() => Report = await Builder.UpAsync(Topology, CancellationToken.None);

    public async Task DisposeAsync() => await Builder.DownAsync(Topology.Names, CancellationToken.None);
}

[CollectionDefinition(Name)]
public sealed class LabCollection : ICollectionFixture<LabTopologyFixture>
{
    public const string Name = "lab topology";
}
