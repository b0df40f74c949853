using Raven.Api.Benchmark;

namespace Raven.Api.Tests.Benchmark;

public sealed class LatencyStatisticsTests
{
    [Fact]
    public void Percentiles_are_nearest_rank_over_the_sorted_samples()
    {
        var samples = Enumerable.Range(1, 20).Reverse().Select(i => TimeSpan.FromMilliseconds(i)).ToList();

        var stats = LatencyStatistics.Of(samples);

        stats.Should().Be(new LatencyStatistics { Samples = 20, MinMs = 1, P50Ms = 10, P95Ms = 19, MaxMs = 20 });
    }

    [Fact]
    public void One_sample_is_every_statistic()
    {
        LatencyStatistics.Of([TimeSpan.FromMilliseconds(2.5)]).Should().Be(new LatencyStatistics { Samples = 1, MinMs = 2.5, P50Ms = 2.5, P95Ms = 2.5, MaxMs = 2.5 });
    }

    [Fact]
    public void No_samples_is_refused()
    {
        var act = () => LatencyStatistics.Of([]);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void A_result_round_trips_and_a_result_without_figures_or_error_is_refused()
    {
        var result = new BenchmarkResult
        {
            Source = "hz-2", Target = "qd-2", TargetAddress = "172.16.3.4",
            Latency = new LatencyStatistics { Samples = 1, MinMs = 1, P50Ms = 1, P95Ms = 1, MaxMs = 1 },
            Throughput = new ThroughputResult { Bytes = 1_000_000, Seconds = 2 },
        };

        BenchmarkResult.TryParse(result.Serialize(), out var error).Should().Be(result);
        error.Should().BeNull();
        result.Throughput.BitsPerSecond.Should().Be(4_000_000);
        BenchmarkResult.TryParse("{\"source\":\"hz-2\"}", out error).Should().BeNull();
        error.Should().Contain("neither figures nor an error");
        BenchmarkResult.TryParse("{", out error).Should().BeNull();
        error.Should().StartWith("data.result.json is not a result");
    }
}
