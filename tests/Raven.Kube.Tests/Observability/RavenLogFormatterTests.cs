using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Raven.Kube.Observability;

namespace Raven.Kube.Tests.Observability;

public sealed partial class RavenLogFormatterTests
{
    private static HttpRequestException Refused() => new(HttpRequestError.ConnectionError,
        "GET unix:///run/raven/api.sock/api/v1/nodes: Connection refused (localhost:80)", new SocketException((int)SocketError.ConnectionRefused));

    private static Exception Bug()
    {
        try
        {
            throw new InvalidOperationException("the plan has two tables 9027");
        }
        catch (InvalidOperationException e)
        {
            return e;
        }
    }

    private static string[] Lines(LogLevel minimum, bool json, Action<ILogger> log)
    {
        var output = new StringWriter();
        using (var factory = RavenLogging.Create(minimum, json, output))
        {
            log(factory.CreateLogger("raven.agent.informers"));
        }

        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void A_text_line_has_an_iso_utc_timestamp_level_component_and_message()
    {
        var lines = Lines(LogLevel.Information, json: false, l => l.LogInformation("caches synced: {Gateways} gateways", 3));

        lines.Should().ContainSingle().Which.Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO  raven\.agent\.informers: caches synced: 3 gateways$");
    }

    [Fact]
    public void An_expected_failure_is_one_line_with_its_cause_and_no_stack()
    {
        var lines = Lines(LogLevel.Information, json: false, l => l.LogWarning(Refused(), "Node list failed; retrying with backoff"));

        var line = lines.Should().ContainSingle().Which;
        line.Should().Contain("WARN  raven.agent.informers: Node list failed; retrying with backoff: GET unix:///run/raven/api.sock/api/v1/nodes: Connection refused (localhost:80)");
        line.Should().NotContain(" at ");
    }

    [Fact]
    public void At_debug_level_an_expected_failure_also_carries_its_stack()
    {
        var lines = Lines(LogLevel.Debug, json: false, l => l.LogWarning(ThrownRefused(), "list failed"));

        lines.Length.Should().BeGreaterThan(1);
        lines.Skip(1).Should().Contain(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unexpected_exception_keeps_its_stack_under_the_event_line()
    {
        var lines = Lines(LogLevel.Information, json: false, l => l.LogError(Bug(), "apply failed"));

        lines[0].Should().EndWith("ERROR raven.agent.informers: apply failed: the plan has two tables 9027");
        lines.Skip(1).Should().OnlyContain(l => l.StartsWith("    ", StringComparison.Ordinal)).And.Contain(l => l.Contains(" at ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_multi_line_message_stays_on_one_line()
    {
        Lines(LogLevel.Information, json: false, l => l.LogInformation("first\nsecond")).Should().ContainSingle().Which.Should().EndWith("first | second");
    }

    [Fact]
    public void Json_mode_writes_one_object_per_event_with_the_named_values()
    {
        var lines = Lines(LogLevel.Information, json: true, l =>
        {
            l.LogWarning(Refused(), "{Kind} list failed", "Node");
            l.LogError(Bug(), "apply failed");
        });

        lines.Should().HaveCount(2);
        using var warning = JsonDocument.Parse(lines[0]);
        var root = warning.RootElement;
        root.GetProperty("level").GetString().Should().Be("warn");
        root.GetProperty("component").GetString().Should().Be("raven.agent.informers");
        root.GetProperty("message").GetString().Should().Be("Node list failed");
        root.GetProperty("Kind").GetString().Should().Be("Node");
        root.GetProperty("error").GetString().Should().Contain("unix:///run/raven/api.sock");
        root.TryGetProperty("stack", out _).Should().BeFalse("an expected failure has no stack");
        IsoUtc().IsMatch(root.GetProperty("time").GetString()!).Should().BeTrue();
        using var error = JsonDocument.Parse(lines[1]);
        error.RootElement.GetProperty("stack").GetString().Should().Contain("InvalidOperationException");
    }

    [Fact]
    public void Causes_are_joined_without_repeating_what_the_outer_message_says()
    {
        LogExceptions.OneLine(Refused()).Should().Be("GET unix:///run/raven/api.sock/api/v1/nodes: Connection refused (localhost:80)");
        LogExceptions.OneLine(new IOException("copy failed", new TimeoutException("no reply in 5s"))).Should().Be("copy failed: no reply in 5s");
    }

    [Fact]
    public void Network_and_API_failures_are_expected_and_bugs_are_not()
    {
        LogExceptions.IsExpected(Refused()).Should().BeTrue();
        LogExceptions.IsExpected(new TimeoutException()).Should().BeTrue();
        LogExceptions.IsExpected(new k8s.Autorest.HttpOperationException("conflict")).Should().BeTrue();
        LogExceptions.IsExpected(new k8s.KubernetesException(new k8s.Models.V1Status { Code = 410 })).Should().BeTrue();
        LogExceptions.IsExpected(new NullReferenceException()).Should().BeFalse();
        LogExceptions.IsExpected(new InvalidOperationException()).Should().BeFalse();
    }

    private static HttpRequestException ThrownRefused()
    {
        try
        {
            throw Refused();
        }
        catch (HttpRequestException e)
        {
            return e;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")]
    private static partial Regex IsoUtc();
}
