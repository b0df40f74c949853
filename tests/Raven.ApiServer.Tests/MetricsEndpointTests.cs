using Raven.Kube.Observability;

namespace Raven.ApiServer.Tests;

/// <summary>The server's own /metrics, scraped over HTTP as Prometheus would.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_count_requests_by_verb_resource_and_code_and_time_them_in_a_histogram()
    {
        await using var server = await TestApiServer.StartAsync();
        await server.CreateAsync("/api/v1/namespaces/default/configmaps", """{"metadata":{"name":"one"},"data":{"a":"b"}}""");
        (await server.GetAsync("/api/v1/namespaces/default/configmaps")).Code.Should().Be(200);
        (await server.GetAsync("/api/v1/namespaces/default/configmaps/missing")).Code.Should().Be(404);

        using var response = await server.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var samples = PrometheusText.Parse(await response.Content.ReadAsStringAsync());

        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        Requests(samples, "POST", "201").Should().Be(1);
        Requests(samples, "LIST", "200").Should().Be(1);
        Requests(samples, "GET", "404").Should().Be(1);
        samples.Should().ContainSingle(s => s.Name == "apiserver_request_duration_seconds_count" && s.Labels["verb"] == "POST" && s.Labels["resource"] == "configmaps")
            .Which.Value.Should().Be(1);
        samples.Should().Contain(s => s.Name == "apiserver_request_duration_seconds_bucket" && s.Labels["le"] == "+Inf");
        samples.Select(s => s.Name).Should().Contain(["process_cpu_seconds_total", "process_start_time_seconds", "dotnet_total_memory_bytes"]);
    }

    [Fact]
    public async Task Two_servers_in_one_process_count_only_their_own_requests()
    {
        await using var first = await TestApiServer.StartAsync();
        await using var second = await TestApiServer.StartAsync();
        await first.CreateAsync("/api/v1/namespaces/default/configmaps", """{"metadata":{"name":"one"}}""");

        var firstSamples = PrometheusText.Parse(await first.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        var secondSamples = PrometheusText.Parse(await second.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

        Requests(firstSamples, "POST", "201").Should().Be(1);
        secondSamples.Should().NotContain(s => s.Name == "apiserver_request_total" && s.Labels["resource"] == "configmaps");
    }

    private static double Requests(IReadOnlyList<PrometheusText.Sample> samples, string verb, string code) =>
        samples.Should().ContainSingle(s => s.Name == "apiserver_request_total" && s.Labels["verb"] == verb && s.Labels["resource"] == "configmaps"
            && s.Labels["code"] == code, $"one {verb} {code} series").Which.Value;
}
