using System.Net;
using Microsoft.Extensions.Time.Testing;
using Raven.Agent.Nat;

namespace Raven.Agent.Tests.Nat;

public sealed class SourceRateLimiterTests
{
    private static readonly IPAddress A = IPAddress.Parse("198.51.100.1");
    private static readonly IPAddress B = IPAddress.Parse("198.51.100.2");
    private readonly FakeTimeProvider time = new();

    [Fact]
    public void A_source_gets_its_burst_then_its_rate_while_others_are_unaffected()
    {
        var limiter = new SourceRateLimiter(new SourceRateLimitOptions { PerSourceBurst = 3, PerSourcePerSecond = 2 }, time);

        Enumerable.Range(0, 5).Select(_ => limiter.TryAcquire(A)).Should().Equal(true, true, true, false, false);
        limiter.TryAcquire(B).Should().BeTrue();

        time.Advance(TimeSpan.FromMilliseconds(500));
        limiter.TryAcquire(A).Should().BeTrue("one token back after half a second at 2/s");
        limiter.TryAcquire(A).Should().BeFalse();
    }

    [Fact]
    public void The_global_bucket_bounds_all_sources_together()
    {
        var limiter = new SourceRateLimiter(new SourceRateLimitOptions { GlobalBurst = 4, GlobalPerSecond = 1 }, time);

        var allowed = Enumerable.Range(0, 10).Count(i => limiter.TryAcquire(IPAddress.Parse($"198.51.100.{i + 1}")));

        allowed.Should().Be(4);
    }

    [Fact]
    public void A_full_table_forgets_refilled_sources_first_and_refuses_newcomers_while_all_are_active()
    {
        var limiter = new SourceRateLimiter(new SourceRateLimitOptions { MaxSources = 2, PerSourceBurst = 2, PerSourcePerSecond = 1 }, time);
        limiter.TryAcquire(A).Should().BeTrue();
        limiter.TryAcquire(B).Should().BeTrue();

        limiter.TryAcquire(IPAddress.Parse("198.51.100.3")).Should().BeFalse("both tracked sources still owe tokens");

        time.Advance(TimeSpan.FromSeconds(1));
        limiter.TryAcquire(IPAddress.Parse("198.51.100.3")).Should().BeTrue("refilled sources are forgotten to make room");
        limiter.TrackedSources.Should().BeLessThanOrEqualTo(2);
    }
}
