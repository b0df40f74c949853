using System.Net;
using Raven.Agent.Health.Probing;
using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Tests.Health;

public sealed class SourceRateLimiterTests
{
    private static readonly UInt128 A = 1;
    private static readonly UInt128 B = 2;

    [Fact]
    public void Each_source_gets_its_burst_then_its_rate()
    {
        var limiter = new SourceRateLimiter(ratePerSecond: 10, burst: 3, maxSources: 16);

        Enumerable.Range(0, 5).Count(_ => limiter.TryTake(A, TimeSpan.Zero)).Should().Be(3);
        limiter.TryTake(B, TimeSpan.Zero).Should().BeTrue("sources do not share buckets");
        limiter.TryTake(A, TimeSpan.FromMilliseconds(99)).Should().BeFalse();
        limiter.TryTake(A, TimeSpan.FromMilliseconds(100)).Should().BeTrue("one token per 100 ms at 10/s");
        limiter.TryTake(A, TimeSpan.FromMilliseconds(100)).Should().BeFalse();
    }

    [Fact]
    public void Past_the_table_size_new_sources_share_one_overflow_bucket_until_idle_ones_are_forgotten()
    {
        var limiter = new SourceRateLimiter(ratePerSecond: 10, burst: 2, maxSources: 2);
        limiter.TryTake(A, TimeSpan.Zero);
        limiter.TryTake(B, TimeSpan.Zero);

        Enumerable.Range(3, 5).Count(i => limiter.TryTake((UInt128)i, TimeSpan.FromMilliseconds(10))).Should().Be(2,
            "five new sources, one shared bucket of 2");
        limiter.TrackedSources.Should().Be(2);

        // A and B have refilled (2 tokens at 10/s = 200 ms) and are forgotten to make room.
        limiter.TryTake(99, TimeSpan.FromSeconds(2)).Should().BeTrue();
        limiter.TrackedSources.Should().Be(1);
    }

    [Fact]
    public void The_key_is_the_address_without_the_port_and_ipv4_maps_into_ipv6()
    {
        var v4 = SourceRateLimiter.KeyOf(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 1000).Serialize());
        var otherPort = SourceRateLimiter.KeyOf(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 2000).Serialize());
        var mapped = SourceRateLimiter.KeyOf(new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.7"), 1000).Serialize());
        var v6 = SourceRateLimiter.KeyOf(new IPEndPoint(IPAddress.Parse("2001:db8::7"), 1000).Serialize());

        otherPort.Should().Be(v4);
        mapped.Should().Be(v4);
        v6.Should().NotBe(v4);
    }

    [Fact]
    public void Responder_state_keeps_every_claim_field()
    {
        var state = new ResponderState();
        state.Current.Should().Be(GatewayClaim.None);

        foreach (var claim in new[] { new GatewayClaim(true, true, uint.MaxValue, 255), new GatewayClaim(true, false, 7, 0), new GatewayClaim(false, false, 3, 2) })
        {
            state.Set(claim);
            state.Current.Should().Be(claim);
        }
    }
}
