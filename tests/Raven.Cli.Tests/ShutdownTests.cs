using Raven.Cli.Commands;
using Raven.TestSupport;

namespace Raven.Cli.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task A_signal_cancels_the_token_and_a_stop_that_overruns_the_budget_is_a_forced_exit_0()
    {
        var exits = new List<int>();
        var errors = new StringWriter();
        using var shutdown = new Shutdown(code => { lock (exits) { exits.Add(code); } }, TextWriter.Synchronized(errors), TimeSpan.FromMilliseconds(100));

        shutdown.Request("SIGTERM");

        shutdown.Token.IsCancellationRequested.Should().BeTrue();
        exits.Should().BeEmpty("the command gets its budget to stop by itself");
        await WaitUntilAsync(() => { lock (exits) { return exits.Count == 1; } });
        exits.Should().Equal(0);
        errors.ToString().Should().Contain("forced exit");
    }

    [Fact]
    public void A_second_signal_exits_at_once()
    {
        var exits = new List<int>();
        using var shutdown = new Shutdown(exits.Add, TextWriter.Null, TimeSpan.FromMinutes(1));

        shutdown.Request("SIGINT");
        shutdown.Request("SIGINT");

        exits.Should().Equal(0);
    }

    [Fact]
    public void Passing_signals_through_leaves_the_command_running()
    {
        var exits = new List<int>();
        using var shutdown = new Shutdown(exits.Add, TextWriter.Null, TimeSpan.FromMilliseconds(10));
        shutdown.PassSignalsThrough();

        shutdown.Request("SIGINT");
        shutdown.Request("SIGINT");

        shutdown.Token.IsCancellationRequested.Should().BeFalse();
        exits.Should().BeEmpty();
    }

    private static Task WaitUntilAsync(Func<bool> condition) => Poll.TryUntilAsync(condition, TimeSpan.FromSeconds(10));
}
