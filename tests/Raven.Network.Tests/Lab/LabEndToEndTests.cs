using System.Diagnostics;
using Raven.Agent.Linux;
using Raven.Kube.Client;
using Raven.Lab.Build;
using Raven.Lab.Run;
using Raven.Lab.Shell;
using Raven.Lab.Topology;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Lab;

/// <summary>`raven lab up`, the manual's checks and `down`, under a test prefix so a running lab is never touched.</summary>
public sealed class LabEndToEndTests
{
    private const string Prefix = "rvt-labe-";

    [Fact]
    public async Task Up_passes_every_check_and_down_leaves_nothing_behind()
    {
        Root.Require();
        var topology = LabTopology.Seed(Prefix);
        var lab = new LabRunner(topology, new LabComponents());
        var output = new StringWriter();
        var progress = new LabProgress(output);
        var recorded = new List<ProcessIdentity>();
        IReadOnlyList<LabCheck> checks = [];
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await lab.UpAsync(progress, deadline.Token);
            recorded.AddRange(new LabProcessTable(lab.Paths.Root).Entries().Values);
            using var client = KubeClient.Create(lab.Paths.Kubeconfig);
            checks = await new LabChecks(lab, client, progress).RunAsync(includeFailover: true, deadline.Token);
        }
        finally
        {
            await lab.DownAsync(CancellationToken.None);
        }

        checks.Should().NotBeEmpty();
        checks.Where(c => !c.Passed).Should().BeEmpty($"every check must pass:\n{LabCheck.Table(checks)}\n{output}");
        LabBuilder.ExistingNamespaces(Prefix).Should().BeEmpty();
        recorded.Should().NotBeEmpty().And.OnlyContain(p => !p.IsAlive, "down stops every recorded process");
    }
}
