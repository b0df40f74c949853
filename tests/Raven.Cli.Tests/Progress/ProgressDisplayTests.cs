using Raven.Cli.Progress;
using Spectre.Console;

namespace Raven.Cli.Tests.Progress;

public sealed class ProgressDisplayTests
{
    [Fact]
    public async Task Not_on_a_terminal_the_steps_are_plain_lines_as_given()
    {
        var output = new StringWriter();

        var result = await ProgressDisplay.RunAsync("raven lab up", new ProgressTarget(output, Terminal: false), report =>
        {
            report.Step("[  0.1s] creating namespaces");
            report.Waiting("waiting for agents", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
            return Task.FromResult(42);
        });

        result.Should().Be(42);
        output.ToString().Should().Be("[  0.1s] creating namespaces\n", "a waiting report before 5 s prints nothing, and no spinner is drawn");
    }

    [Fact]
    public void A_terminal_status_line_shows_the_expected_time_as_a_bar_then_the_step_age()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new StringWriter()) });
        var report = new TerminalProgress(console, "raven benchmark");

        report.Waiting("waiting for the result", TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8));
        var waiting = report.StatusLine();
        report.Step("result [arrived]");
        var stepped = report.StatusLine();

        waiting.Should().Contain("waiting for the result").And.Contain("##########..........").And.Contain("4s of about 8s");
        stepped.Should().StartWith("result [[arrived]]", "markup in a step is escaped").And.Contain("(0s)");
    }
}
