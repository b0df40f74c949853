using Raven.Kube.Client.Cache;
using Raven.Kube.Client.Http;
using Raven.Kube.Resilience;

namespace Raven.Kube.Tests.Client;

public sealed class RateAndBackoffTests
{
    [Fact]
    public void Burst_is_free_then_tokens_come_at_qps()
    {
        var time = new ManualTime();
        var bucket = new TokenBucket(qps: 10, burst: 3, time);

        Enumerable.Range(0, 3).Select(_ => bucket.Reserve()).ToList().Should().AllSatisfy(d => d.Should().Be(TimeSpan.Zero));
        bucket.Reserve().Should().Be(TimeSpan.FromMilliseconds(100));
        bucket.Reserve().Should().Be(TimeSpan.FromMilliseconds(200), "waiters queue behind each other");

        time.Advance(TimeSpan.FromMilliseconds(300));
        bucket.Reserve().Should().Be(TimeSpan.Zero, "0.3s refilled 3 tokens against 2 borrowed, leaving one");
        bucket.Reserve().Should().Be(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void The_bucket_never_holds_more_than_burst()
    {
        var time = new ManualTime();
        var bucket = new TokenBucket(qps: 1, burst: 2, time);
        time.Advance(TimeSpan.FromHours(1));

        bucket.TryTake().Should().BeTrue();
        bucket.TryTake().Should().BeTrue();
        bucket.TryTake().Should().BeFalse();

        time.Advance(TimeSpan.FromSeconds(1));
        bucket.TryTake().Should().BeTrue();
    }

    [Fact]
    public void Backoff_doubles_with_jitter_and_caps_at_max()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), BackoffJitter.UpToHalfMore, random: () => 0);
        var delays = Enumerable.Range(0, 6).Select(_ => backoff.Next().TotalSeconds).ToList();
        delays.Should().Equal(1, 2, 4, 8, 10, 10);

        backoff.Reset();
        backoff.Next().Should().Be(TimeSpan.FromSeconds(1));

        var jittered = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), BackoffJitter.UpToHalfMore, random: () => 1);
        jittered.Next().Should().Be(TimeSpan.FromSeconds(1.5));
    }
}
