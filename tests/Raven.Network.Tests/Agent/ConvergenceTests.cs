using Raven.TestSupport.Network;
using Xunit.Abstractions;

namespace Raven.Network.Tests.Agent;

/// <summary>
/// Convergence (issue 15 item 6): Gateways applied to agents that already run → first cross-domain packet, both
/// directions, pinged every 50 ms (<see cref="Convergence"/>). The time is logged, not asserted; bench/ keeps figures.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(AgentLabCollection.Name)]
public sealed class ConvergenceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("wireguard")]
    [InlineData("ipsec")]
    public async Task Gateways_applied_to_running_agents_carry_the_first_packet_across_domains(string backend)
    {
        await using var lab = await AgentLab.CreateAsync(backend: backend);
        var result = await Convergence.MeasureAsync(lab, TimeSpan.FromSeconds(30));

        output.WriteLine($"{backend}: apply → first reply cloud-w pod → a-w pod {Shown(result.ToEdge)}, a-w pod → cloud-w pod {Shown(result.ToCloud)}");
        output.WriteLine($"{backend}: {result.Describe()}");
        result.ToEdge.Should().NotBeNull($"cloud-w's pod reaches a-w's pod across the NAT\n{lab.Describe()}");
        result.ToCloud.Should().NotBeNull($"a-w's pod reaches cloud-w's pod\n{lab.Describe()}");
    }

    private static string Shown(TimeSpan? t) => t is { } v ? $"{v.TotalSeconds:0.00} s" : "none";
}
