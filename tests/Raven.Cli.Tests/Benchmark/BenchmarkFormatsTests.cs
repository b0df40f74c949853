using System.Text.Json.Nodes;
using Raven.Api.Benchmark;
using Raven.Cli.Benchmark;
using Raven.Cli.Progress;

namespace Raven.Cli.Tests.Benchmark;

public sealed class BenchmarkFormatsTests
{
    private static readonly BenchmarkResult Measured = new()
    {
        Source = "hz-2", Target = "qd-2", TargetAddress = "172.16.3.104",
        Latency = new LatencyStatistics { Samples = 50, MinMs = 0.4, P50Ms = 0.61, P95Ms = 1.2, MaxMs = 3 },
        Throughput = new ThroughputResult { Bytes = 312_500_000, Seconds = 5 },
    };

    [Fact]
    public void The_table_shows_the_rate_and_the_latency_figures()
    {
        var table = BenchmarkFormats.Render(Measured, "table");

        table.Should().StartWith("hz-2 -> qd-2 (172.16.3.104)\n")
            .And.Contain("throughput   500.0 Mbit/s")
            .And.Contain("312500000 bytes in 5.00 s")
            .And.Contain("p50 0.610 ms")
            .And.Contain("min 0.400 / p95 1.200 / max 3.000 ms over 50 TCP round trips");
    }

    [Fact]
    public void Json_is_the_result_document_with_bits_per_second()
    {
        var json = JsonNode.Parse(BenchmarkFormats.Render(Measured, "json"))!;

        json["throughput"]!["bitsPerSecond"]!.GetValue<double>().Should().Be(500_000_000);
        json["latency"]!["p95Ms"]!.GetValue<double>().Should().Be(1.2);
        BenchmarkFormats.Render(Measured, "yaml").Should().Contain("bitsPerSecond: 500000000");
    }

    [Fact]
    public void A_failed_benchmark_says_so()
    {
        var failed = new BenchmarkResult { Source = "hz-2", Target = "qd-2", Error = "no Gateway lists node qd-2 with an IP" };

        BenchmarkFormats.Render(failed, "table").Should().Be("hz-2 -> qd-2 (address unknown)\nFAILED: no Gateway lists node qd-2 with an IP\n");
    }

    [Theory]
    [InlineData(612_300_000, "612.3 Mbit/s")]
    [InlineData(1_500_000_000, "1.50 Gbit/s")]
    [InlineData(2_000, "2.0 kbit/s")]
    [InlineData(12, "12 bit/s")]
    public void Rates_pick_their_unit(double bits, string expected) => BenchmarkFormats.Rate(bits).Should().Be(expected);

    [Fact]
    public void Plain_progress_is_timestamped_lines()
    {
        var output = new StringWriter();
        var progress = new PlainProgress(output, timestamped: true);

        progress.Step("created kube-system/raven-benchmark-1");
        progress.Waiting("waiting for the result", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8));
        progress.Waiting("waiting for the result", TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(8));

        output.ToString().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ created kube-system/raven-benchmark-1\n\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ waiting for the result: 6s of about 8s\n$");
    }
}
