using Microsoft.Extensions.Time.Testing;
using Raven.Agent.Engine;
using Raven.Agent.Health.Paths;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;
using Raven.Api.DataPlane;
using static Raven.Agent.Tests.Engine.ConnectionReportFixtures;

namespace Raven.Agent.Tests.Engine;

/// <summary>The write-rate rule: discrete changes at once, counters at most every refresh and on the next renewal, members nothing.</summary>
public sealed class ConnectionReporterTests
{
    private readonly FakeTimeProvider _time = new(Now);
    private readonly List<(string? Text, bool RenewNow)> _published = [];
    private NetworkPlan? _plan = ServingPlan();
    private IReadOnlyList<DomainPaths> _paths = Paths();
    private IReadOnlyList<TunnelConnection> _connections = [Connection("qd-2"), Connection("qd-3")];

    private ConnectionReporter Reporter() => new(() => _plan, () => _paths, () => _connections, (text, now) => _published.Add((text, now)), _time);

    [Fact]
    public void The_first_report_renews_at_once_and_an_unchanged_one_writes_nothing()
    {
        var reporter = Reporter();

        reporter.PublishOnce().Should().Be(ConnectionReportWrite.Changed);
        _time.Advance(TimeSpan.FromSeconds(1));
        reporter.PublishOnce().Should().Be(ConnectionReportWrite.None);

        _published.Should().ContainSingle().Which.RenewNow.Should().BeTrue();
        ConnectionReport.TryParse(_published[0].Text).Should().NotBeNull();
    }

    [Fact]
    public void Growing_counters_are_handed_over_once_the_refresh_is_due_and_ride_on_the_next_renewal()
    {
        var reporter = Reporter();
        reporter.PublishOnce();
        for (var second = 1; second < ConnectionReport.RefreshSeconds; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            _connections = [Connection("qd-2", rx: 100 + second), Connection("qd-3")];
            _paths = Paths(rtt: 1 + second);
            reporter.PublishOnce().Should().Be(ConnectionReportWrite.None, $"only numbers moved {second}s after the last write");
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        reporter.PublishOnce().Should().Be(ConnectionReportWrite.Refreshed);

        _published.Should().HaveCount(2);
        _published[1].RenewNow.Should().BeFalse();
        ConnectionReport.TryParse(_published[1].Text)!.Connections[0].RxBytes.Should().Be(100 + ConnectionReport.RefreshSeconds - 1);
    }

    [Fact]
    public void A_connection_going_down_is_written_at_once()
    {
        var reporter = Reporter();
        reporter.PublishOnce();
        _time.Advance(TimeSpan.FromSeconds(1));
        _connections = [Connection("qd-2", TunnelConnectionState.Down), Connection("qd-3")];

        reporter.PublishOnce().Should().Be(ConnectionReportWrite.Changed);

        _published[^1].RenewNow.Should().BeTrue();
        reporter.Published!.Connections[0].State.Should().Be("down");
    }

    [Fact]
    public void A_reconnect_a_standby_losing_readiness_a_new_path_and_a_new_role_are_discrete_changes()
    {
        var reporter = Reporter();
        reporter.PublishOnce();
        var steps = new List<Action>
        {
            () => _connections = [Connection("qd-2", TunnelConnectionState.Down), Connection("qd-3")],
            () => _connections = [Connection("qd-2"), Connection("qd-3")], // back up: one reconnect
            () => _connections = [Connection("qd-2"), Connection("qd-3", TunnelConnectionState.Connecting)],
            () => _plan = _plan! with { Paths = _plan.Paths.Take(1).Append(new DomainPath("gw-shanghai", PathKind.Direct, "gw-shanghai", ValueList<Raven.Api.Net.Cidr>.Empty)).ToValueList() },
            () => _plan = _plan! with { Role = PlanRole.StandbyGateway },
        };

        foreach (var step in steps)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            step();
            reporter.PublishOnce().Should().Be(ConnectionReportWrite.Changed);
        }

        _published.Should().OnlyContain(p => p.RenewNow);
        reporter.Published!.Role.Should().Be("standby");
        reporter.Published.Connections[0].Reconnects.Should().Be(1);
    }

    [Fact]
    public void A_node_that_becomes_a_member_withdraws_its_report_once()
    {
        var reporter = Reporter();
        reporter.PublishOnce();
        _plan = NetworkPlan.Empty(PlanRole.DomainMember, "hz-2", "gw-hangzhou", []);

        reporter.PublishOnce().Should().Be(ConnectionReportWrite.Removed);
        _time.Advance(TimeSpan.FromSeconds(ConnectionReport.RefreshSeconds));
        reporter.PublishOnce().Should().Be(ConnectionReportWrite.None);

        _published[^1].Should().Be((null, true));
        reporter.Published.Should().BeNull();
    }

    [Fact]
    public void A_member_from_the_start_withdraws_a_stale_annotation_and_then_stays_quiet()
    {
        _plan = NetworkPlan.Empty(PlanRole.DomainMember, "hz-1", "gw-hangzhou", []);
        var reporter = Reporter();

        reporter.PublishOnce().Should().Be(ConnectionReportWrite.Removed);
        reporter.PublishOnce().Should().Be(ConnectionReportWrite.None);
        _published.Should().Equal((null, true));
    }
}
