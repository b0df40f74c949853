using System.Net;
using Microsoft.Extensions.Time.Testing;
using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Probing;
using Raven.Agent.Health.Protocol;
using Raven.Agent.Health.Wiring;
using Raven.Agent.Linux;
using Raven.TestSupport;

namespace Raven.Agent.Tests.Health;

/// <summary>
/// The pieces of an agent restart without a failover: two responders share the probe port (the stopping agent's and its
/// stand-in's, then the stand-in's and the next agent's), and the stand-in's record names a live process and its claim.
/// </summary>
public sealed class ProbeStandInTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("rvt-standin-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public void A_claim_survives_packing_into_one_word()
    {
        foreach (var claim in new[] { GatewayClaim.None, new GatewayClaim(true, false, 7, 3), new GatewayClaim(true, true, uint.MaxValue, 255) })
        {
            GatewayClaim.FromPacked(claim.Packed).Should().Be(claim);
        }
    }

    [Fact]
    public async Task A_prober_keeps_its_target_Up_when_the_responder_goes_and_a_second_one_on_the_same_port_stays()
    {
        var time = new FakeTimeProvider();
        var claim = new GatewayClaim(true, false, 4, 2);
        var agent = ProbeResponder.Start(new ResponderOptions { NodeName = "gw-b", BindAddress = IPAddress.Loopback, Port = 0 }, null, new ResponderState(claim), time);
        await using var standIn = ProbeResponder.Start(new ResponderOptions { NodeName = "gw-b", BindAddress = IPAddress.Loopback, Port = agent.LocalEndPoint.Port },
            null, new ResponderState(claim), time);
        await using var prober = new Prober(new ProberOptions { NodeName = "gw-a" }, null, time);
        (await prober.SyncAsync([new ProbeTarget("gw-b", agent.LocalEndPoint)])).Failed.Should().BeEmpty();

        for (var sent = 1; sent <= 20; sent++)
        {
            await Poll.UntilAsync(() => prober.Snapshot().Single().Statistics is var s && s.Sent >= sent && s.Replies == s.Sent, $"probe {sent} answered");
            if (sent == 5)
            {
                await agent.DisposeAsync(); // the agent stops: its stand-in answers from now on
            }

            if (sent < 20)
            {
                time.Advance(TimeSpan.FromMilliseconds(100)); // not after the last: a 21st probe would race the count below
            }
        }

        var statistics = prober.Snapshot().Single().Statistics;
        statistics.State.Should().Be(HealthState.Up);
        statistics.Misses.Should().Be(0);
        statistics.LastClaim.Should().Be(claim);
        (agent.Counters.Replies + standIn.Counters.Replies).Should().Be(20);
    }

    [Fact]
    public async Task The_record_names_a_live_stand_in_and_its_claim_and_nothing_else()
    {
        var self = ProcessIdentity.Of(Environment.ProcessId)!.Value;
        var claim = new GatewayClaim(true, false, 9, 1);
        var record = Path.Combine(_state, ProbeStandIn.RecordFile);

        ProbeStandIn.Find(_state).Should().BeNull("no stand-in ran");
        await File.WriteAllTextAsync(record, $"{self} {claim.Packed}\n");
        ProbeStandIn.Find(_state).Should().Be(new ProbeStandIn.Running(self, claim));

        await File.WriteAllTextAsync(record, $"{self.Pid} {self.StartTime + 1} {claim.Packed}\n");
        ProbeStandIn.Find(_state).Should().BeNull("a recycled PID is not the stand-in");
        await File.WriteAllTextAsync(record, "garbage\n");
        ProbeStandIn.Find(_state).Should().BeNull();
    }

    [Fact]
    public void The_stand_in_is_started_with_the_claim_the_hold_and_the_state_directory()
    {
        ProbeStandIn.Arguments("hz-1", 4473, new GatewayClaim(true, false, 3, 2), TimeSpan.FromSeconds(29.5), "/var/lib/raven").Should().Equal(
            "agent", "probe-stand-in", "--node-name", "hz-1", "--port", "4473", "--claim", new GatewayClaim(true, false, 3, 2).Packed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--hold", "30s", "--state-dir", "/var/lib/raven");
    }
}
