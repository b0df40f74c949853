namespace Raven.Network.Tests.Agent;

/// <summary>
/// Last-known-good: while the agents' inputs say they may be stale (a watch lost the API server), even an empty
/// cache removes nothing: a ping across domains and NAT keeps every reply.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AgentLastKnownGoodTests
{
    [Fact]
    public async Task Stale_empty_inputs_keep_every_working_path()
    {
        await using var lab = await AgentLab.CreateAsync();
        await lab.StartAllAsync();
        (await AgentLab.WaitForPingAsync(lab["cloud-w"].Pod, lab["a-w"].PodIp, TimeSpan.FromSeconds(60))).Should().NotBeNull(lab.Describe());
        var gateways = lab.Inputs.Current.Gateways.ToArray();
        using var ping = BackgroundPing.Start(lab["cloud-w"].Pod.Name, lab["a-w"].PodIp, count: 40);

        var applies = lab.Nodes.Values.ToDictionary(n => n.Name, n => n.Engine!.Metrics.Applies.Value());
        lab.Inputs.SetStale("the Gateway watch lost the API server");
        lab.Inputs.Clear();
        (await AgentLab.WaitUntilAsync(() => lab.Nodes.Values.All(n => n.Engine!.Metrics.Applies.Value() > applies[n.Name]), TimeSpan.FromSeconds(10)))
            .Should().BeTrue("every engine ran an apply pass on the stale, empty inputs");
        await Task.Delay(TimeSpan.FromSeconds(3)); // part of the outage the ping spans
        lab.Inputs.SetGateways(gateways);
        lab.Inputs.SetStale(null);

        var (sent, received, output) = await ping.ResultAsync(TimeSpan.FromSeconds(30));
        received.Should().Be(sent, $"no reply is lost while the inputs are stale:\n{output}\n{lab.Describe()}");
        lab["a-gw"].Engine!.LastReport!.Plan.WireGuard.Should().NotBeNull("the plan kept coming from the last fresh snapshot");
    }
}
