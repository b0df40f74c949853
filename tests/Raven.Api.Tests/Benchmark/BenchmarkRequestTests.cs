using Raven.Api.Benchmark;

namespace Raven.Api.Tests.Benchmark;

public sealed class BenchmarkRequestTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_new_request_round_trips_through_its_ConfigMap_data()
    {
        var request = BenchmarkRequest.New("hz-2", "qd-2", 5, 50, Now);

        var parsed = BenchmarkRequest.Parse(request.Name, request.ToData(), out var error);

        error.Should().BeNull();
        parsed.Should().Be(request);
        request.Expires.Should().Be(Now + TimeSpan.FromSeconds(5) + BenchmarkRequest.Slack);
        request.TokenBytes().Should().HaveCount(32);
        BenchmarkRequest.New("hz-2", "qd-2", 5, 50, Now).Token.Should().NotBe(request.Token, "every request has its own token");
    }

    [Theory]
    [InlineData("HZ-2", "qd-2", 5, 50, "NODE_A: \"HZ-2\" is not a node name")]
    [InlineData("hz-2", "hz-2", 5, 50, "NODE_B: must differ from NODE_A")]
    [InlineData("hz-2", "qd-2", 31, 50, "--seconds: 31 is outside 1..30")]
    [InlineData("hz-2", "qd-2", 0, 50, "--seconds: 0 is outside 1..30")]
    [InlineData("hz-2", "qd-2", 5, 0, "--echoes: 0 is outside 1..1000")]
    public void Bad_choices_are_errors_naming_the_option(string source, string target, int seconds, int echoes, string expected)
    {
        BenchmarkRequest.Validate(source, target, seconds, echoes).Should().ContainSingle().Which.Should().StartWith(expected);
    }

    [Theory]
    [InlineData("seconds", "ten", "data.seconds: -1 is outside 1..30")]
    [InlineData("token", "c2hvcnQ=", "data.token: must be 32 bytes in base64")]
    [InlineData("expires", "soon", "data.expires: \"soon\" is not an RFC 3339 time")]
    [InlineData("target", "", "data.target: \"\" is not a node name")]
    public void A_bad_ConfigMap_field_is_an_error_naming_it(string key, string value, string expected)
    {
        var data = BenchmarkRequest.New("hz-2", "qd-2", 5, 50, Now).ToData().ToDictionary();
        data[key] = value;

        BenchmarkRequest.Parse("raven-benchmark-abc", data, out var error);

        error.Should().Contain(expected);
    }

    [Fact]
    public void A_name_without_the_prefix_is_not_a_request()
    {
        BenchmarkRequest.Parse("raven-cfg", BenchmarkRequest.New("hz-2", "qd-2", 5, 50, Now).ToData(), out var error);

        error.Should().StartWith("metadata.name:");
    }
}
