using Raven.Agent.Linux.Processes;
using Raven.Lab.Run;

namespace Raven.Lab.Tests;

/// <summary>`lab up --vpn-driver`: the lab overlay rendered by kubectl with the driver set in raven-agent-config.</summary>
public sealed class LabManifestsTests
{
    [Theory]
    [InlineData("ipsec")]
    [InlineData("wireguard")]
    public async Task The_chosen_vpn_driver_is_raven_agent_configs_and_nothing_else_changes(string driver)
    {
        var runner = new ProcessCommandRunner();
        var shipped = await LabManifests.RenderAsync(runner, CancellationToken.None);

        var rendered = await LabManifests.RenderAsync(runner, driver, CancellationToken.None);

        var config = rendered.Split("\n---\n").Single(d => d.Contains("\n  name: raven-agent-config\n", StringComparison.Ordinal));
        config.Should().Contain($"\n  vpn-driver: {driver}\n");
        shipped.Should().Contain("\n  vpn-driver: wireguard\n");
        rendered.Replace($"\n  vpn-driver: {driver}\n", "\n  vpn-driver: wireguard\n", StringComparison.Ordinal).Should().Be(shipped,
            "only raven-agent-config's vpn-driver differs from the shipped overlay");
    }
}
