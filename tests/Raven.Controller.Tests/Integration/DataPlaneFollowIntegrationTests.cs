using Raven.Api;
using Raven.Api.DataPlane;
using Raven.Controller.Election;
using k8s;
using static Raven.Controller.Tests.Integration.TestCluster;

namespace Raven.Controller.Tests.Integration;

/// <summary>
/// The controller follows take-overs the agents publish on their Leases, against the embedded API server: one
/// event per take-over, nothing moved by a stale claim, and neither its own election nor the old primary's return
/// flips the domain back while the claim stands.
/// </summary>
public sealed class DataPlaneFollowIntegrationTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static DataPlaneReport Report(string through, bool? serving = null, uint epoch = 0) => new()
    {
        Claim = serving is { } s ? new DataPlaneClaim { Serving = s, Epoch = epoch } : null,
        Serving = new Dictionary<string, string> { ["gw-hangzhou"] = through },
    };

    /// <summary>gw-hangzhou with two tunnel replicas (hz-1 primary, hz-2 standby) and a member hz-3; every agent alive.</summary>
    private async Task SeedAsync(int leaseSeconds = 3600)
    {
        await _cluster.AddNodeAsync("hz-1", "gw-hangzhou", "172.16.2.103", "10.244.18.0/24");
        await _cluster.AddNodeAsync("hz-2", "gw-hangzhou", "172.16.2.104", "10.244.19.0/24");
        await _cluster.AddNodeAsync("hz-3", "gw-hangzhou", "172.16.2.105", "10.244.20.0/24");
        await _cluster.RenewAgentLeaseAsync("hz-1", leaseSeconds, Report("hz-1", serving: true, epoch: 1));
        await _cluster.RenewAgentLeaseAsync("hz-2", 3600, Report("hz-1"));
        await _cluster.RenewAgentLeaseAsync("hz-3", 3600, Report("hz-1"));
        await _cluster.Gateways.CreateAsync(Gateway("gw-hangzhou", null, 0, 2, Ep("hz-1", "tunnel", true), Ep("hz-2", "tunnel", true)));
    }

    private async Task<List<k8s.Models.Corev1Event>> TakeOverEventsAsync() =>
        [.. (await _cluster.Core.ListEventForAllNamespacesAsync()).Items.Where(e => e.Reason == DataPlaneFollower.EventTakeOver)];

    /// <summary>Waits until the controller has handled the latest change: a lease renewal reconciles the gateway again.</summary>
    private async Task SettleAsync()
    {
        await _cluster.RenewAgentLeaseAsync("hz-3", 3600, Report("hz-2"));
        await Task.Delay(500);
    }

    [Fact]
    public async Task A_take_over_claim_moves_active_endpoints_and_emits_one_event_and_a_new_controller_keeps_it()
    {
        await SeedAsync();
        _cluster.StartController();
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-1/tunnel,hz-2/tunnel", "hz-1 then hz-2 elected");

        // The WAN-cut case: hz-1's lease stays current, it yields and steps down; hz-2 claims at a newer epoch.
        await _cluster.RenewAgentLeaseAsync("hz-2", 3600, Report("hz-2", serving: true, epoch: 2));
        await _cluster.RenewAgentLeaseAsync("hz-1", 3600, Report("hz-2", serving: false, epoch: 1));
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-2/tunnel,hz-1/tunnel", "the standby recorded as serving");
        var events = await EventuallyAsync(TakeOverEventsAsync, l => l.Count > 0, "a GatewayTakeOver event");
        events.Single().Message.Should().Contain("node hz-2 took over gateway gw-hangzhou's tunnel from node hz-1");
        events.Single().InvolvedObject.Name.Should().Be("gw-hangzhou");

        // The controller's own election (a resync, a restart) does not undo it while the claim stands.
        await _cluster.StopControllerAsync(0);
        _cluster.StartController();
        await _cluster.RenewAgentLeaseAsync("hz-1", 3600, Report("hz-2", serving: false, epoch: 1));
        await SettleAsync();
        Actives(await _cluster.Gateways.GetAsync("gw-hangzhou")).Should().Be("hz-2/tunnel,hz-1/tunnel");
        (await TakeOverEventsAsync()).Should().ContainSingle("a take-over is reported once");
    }

    [Fact]
    public async Task A_stale_or_contradicted_claim_moves_nothing()
    {
        await SeedAsync();
        _cluster.StartController();
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-1/tunnel,hz-2/tunnel", "hz-1 then hz-2 elected");

        // Contradicted: hz-2 claims, but hz-1 still serves and hz-3 still sends through hz-1.
        await _cluster.RenewAgentLeaseAsync("hz-2", 3600, Report("hz-2", serving: true, epoch: 2));
        await _cluster.RenewAgentLeaseAsync("hz-3", 3600, Report("hz-1"));
        await Task.Delay(500);
        // Stale: its lease runs out while it still says it serves.
        await _cluster.RenewAgentLeaseAsync("hz-2", 1, Report("hz-2", serving: true, epoch: 2));
        await Task.Delay(1500);
        await _cluster.RenewAgentLeaseAsync("hz-3", 3600, Report("hz-2"));
        await Task.Delay(500);

        Actives(await _cluster.Gateways.GetAsync("gw-hangzhou")).Should().StartWith("hz-1/tunnel");
        (await TakeOverEventsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task The_primary_returning_does_not_take_the_domain_back_while_the_standby_serves()
    {
        await SeedAsync(leaseSeconds: 3);
        _cluster.StartController();
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-1/tunnel,hz-2/tunnel", "hz-1 then hz-2 elected");

        // hz-1 dies: its probes go silent, hz-2 takes over within a second, long before hz-1's lease runs out.
        await _cluster.RenewAgentLeaseAsync("hz-2", 3600, Report("hz-2", serving: true, epoch: 2));
        await _cluster.RenewAgentLeaseAsync("hz-3", 3600, Report("hz-2"));
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g).StartsWith("hz-2/tunnel", StringComparison.Ordinal), "the take-over recorded (at once, or hz-1 dropped first on a slow machine)");
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-2/tunnel", "hz-1 dropped once its lease expired", seconds: 10);

        // hz-1 comes back with the claim it had before it died; it is a standby again, behind the serving hz-2.
        await _cluster.RenewAgentLeaseAsync("hz-1", 3600, Report("hz-2", serving: true, epoch: 1));
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-2/tunnel,hz-1/tunnel", "hz-1 re-elected as the standby");
        await _cluster.RenewAgentLeaseAsync("hz-1", 3600, Report("hz-2", serving: false, epoch: 1));
        await SettleAsync();
        Actives(await _cluster.Gateways.GetAsync("gw-hangzhou")).Should().Be("hz-2/tunnel,hz-1/tunnel");
        (await TakeOverEventsAsync()).Should().ContainSingle();

        // Only the data plane hands it back: hz-1 claims at a newer epoch after its hold-down, hz-2 steps down.
        await _cluster.RenewAgentLeaseAsync("hz-1", 3600, Report("hz-1", serving: true, epoch: 3));
        await _cluster.RenewAgentLeaseAsync("hz-2", 3600, Report("hz-1", serving: false, epoch: 2));
        await _cluster.RenewAgentLeaseAsync("hz-3", 3600, Report("hz-1"));
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-1/tunnel,hz-2/tunnel", "the hand-back recorded");
        await EventuallyAsync(TakeOverEventsAsync, l => l.Count == 2, "a second GatewayTakeOver event");
    }
}
