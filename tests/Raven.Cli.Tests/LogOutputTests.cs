using System.Text.Json;
using Raven.Agent.Linux.Processes;
using Raven.Agent.Tunnel.WireGuard;
using Raven.Cli.Tests.Support;

namespace Raven.Cli.Tests;

/// <summary>What an operator reads when `raven controller` cannot reach its API server: the real executable's output.</summary>
public sealed class LogOutputTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("raven-logs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task An_unreachable_API_server_gives_timestamped_lines_naming_the_URL_without_stack_traces()
    {
        var kubeconfig = Kubeconfigs.Write(_directory, Kubeconfigs.UnreachableServer);
        using var controller = RavenProcess.Start(["controller", "--kubeconfig", kubeconfig, "--leader-elect", "false", "--health-probe-addr", "127.0.0.1:0"]);
        (await controller.WaitForLineAsync("waiting for the API server", TimeSpan.FromSeconds(30))).Should().BeTrue(controller.Output);
        await Task.Delay(TimeSpan.FromSeconds(3)); // several retries happen meanwhile
        await RavenProcess.AssertStopsAsync(controller, ProcessSignals.SigTerm);

        var lines = controller.Lines;
        lines.Should().NotBeEmpty();
        lines.Should().OnlyContain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (TRACE|DEBUG|INFO |WARN |ERROR|CRIT ) \S+: "),
            "every line is one event: ISO-8601 UTC time, level, component, message");
        lines.Should().NotContain(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal), "no stack traces for an unreachable server");
        lines.Single(l => l.Contains("waiting for the API server", StringComparison.Ordinal))
            .Should().Contain("http://127.0.0.1:9").And.Contain("GET http://127.0.0.1:9/version").And.Contain("Connection refused");
        lines.Count(l => l.Contains("WARN ", StringComparison.Ordinal)).Should().Be(1, "retries are not repeated at warning level within the first minute");
    }

    [Fact]
    public async Task Json_format_gives_one_object_per_line()
    {
        var kubeconfig = Kubeconfigs.Write(_directory, Kubeconfigs.UnreachableServer);
        using var controller = RavenProcess.Start(["controller", "--kubeconfig", kubeconfig, "--leader-elect", "false", "--health-probe-addr", "127.0.0.1:0", "--log-format", "json"]);
        (await controller.WaitForLineAsync("waiting for the API server", TimeSpan.FromSeconds(30))).Should().BeTrue(controller.Output);
        await RavenProcess.AssertStopsAsync(controller, ProcessSignals.SigTerm);

        foreach (var line in controller.Lines)
        {
            using var document = JsonDocument.Parse(line);
            document.RootElement.GetProperty("component").GetString().Should().NotBeNullOrEmpty();
        }

        var waiting = controller.Lines.Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.GetProperty("message").GetString()!.Contains("waiting for the API server", StringComparison.Ordinal));
        waiting.GetProperty("level").GetString().Should().Be("warn");
        waiting.GetProperty("Server").GetString().Should().Be("http://127.0.0.1:9");
    }
}
