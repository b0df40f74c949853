using System.Diagnostics;
using Raven.Agent.Linux;
using Raven.Agent.Linux.Processes;
using Raven.Agent.Tunnel.IPsec;
using Raven.Agent.Tunnel.Vxlan;
using Raven.Kube.Client;
using Raven.Lab.Build;
using Raven.Lab.Run;
using Raven.Lab.Shell;
using Raven.Lab.Topology;
using Raven.TestSupport.Network;
using Xunit.Abstractions;

namespace Raven.Network.Tests.Lab;

/// <summary>
/// `raven lab up --vpn-driver X`, the manual's checks and `down`, once per tunnel backend, under a test prefix so a
/// running lab is never touched. A check may be N/A only where the backend cannot pass it for a reason the check
/// observed: under IPsec the two relayed checks, when the relay's charon shows strongSwan's libipsec selector limit.
/// </summary>
public sealed class LabEndToEndTests(ITestOutputHelper testOutput)
{
    private const string Prefix = "rvt-labe-";

    [Theory]
    [InlineData("wireguard")]
    [InlineData("ipsec")]
    [InlineData("vxlan")]
    public async Task Up_passes_every_check_and_down_leaves_nothing_behind(string driver)
    {
        Root.Require();
        var topology = LabTopology.Seed(Prefix);
        var lab = new LabRunner(topology, new LabComponents { VpnDriver = driver });
        var output = new StringWriter();
        var progress = new LabProgress(output);
        var recorded = new List<ProcessIdentity>();
        IReadOnlyList<LabCheck> checks = [];
        var cableFdb = "";
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await lab.UpAsync(progress, deadline.Token);
            recorded.AddRange(new LabProcessTable(lab.Paths.Root).Entries().Values);
            using var client = KubeClient.Create(lab.Paths.Kubeconfig);
            checks = await new LabChecks(lab, client, progress).RunAsync(includeFailover: true, deadline.Token);
            if (driver == VxlanCableProfile.BackendName)
            {
                // Observed in the cloud gateway's kernel: one FDB entry per edge gateway, at its router's forwarded port.
                var fdb = await new ProcessCommandRunner().RunCheckedAsync(
                    new CommandLine("bridge", "-n", topology.Names.Node(topology.Node("cloud-1")), "fdb", "show", "dev", VxlanCableProfile.DeviceName), deadline.Token);
                cableFdb = fdb.StandardOutput;
            }
        }
        finally
        {
            await lab.DownAsync(CancellationToken.None);
            // The table (with the failover checks' measured outages) and the lab's progress, also when every check
            // passed: the figures are what the run is read for.
            testOutput.WriteLine(LabCheck.Table(checks));
            testOutput.WriteLine(output.ToString());
        }

        checks.Should().NotBeEmpty();
        checks.Where(c => !c.Passed).Should().BeEmpty($"every check must pass:\n{LabCheck.Table(checks)}\n{output}");
        checks.Where(c => c.NotApplicable && !(driver == IpsecProfile.BackendName
                && (c.Name.Contains("(hz-2 -> qd-2)", StringComparison.Ordinal) || c.Name == LabEdgePath.Name)))
            .Should().BeEmpty($"only IPsec's relayed checks may be N/A:\n{LabCheck.Table(checks)}");
        if (driver == VxlanCableProfile.BackendName)
        {
            output.ToString().Should().Contain(LabVxlanCable.Warning, "the lab says loudly that the cable is not encrypted");
            cableFdb.Should().MatchRegex(@"dst 198\.51\.100\.11 port 4474[12]").And.MatchRegex(@"dst 198\.51\.100\.12 port 4474[12]");
        }

        LabBuilder.ExistingNamespaces(Prefix).Should().BeEmpty();
        recorded.Should().NotBeEmpty().And.OnlyContain(p => !p.IsAlive, "down stops every recorded process");
    }
}
