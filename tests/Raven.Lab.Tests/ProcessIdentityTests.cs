using Raven.Agent.Linux;
using Raven.Lab.Shell;

namespace Raven.Lab.Tests;

public sealed class ProcessIdentityTests
{
    [Fact]
    public void The_current_process_has_an_identity_that_round_trips()
    {
        var me = ProcessIdentity.Of(Environment.ProcessId);

        me.Should().NotBeNull();
        me!.Value.IsAlive.Should().BeTrue();
        ProcessIdentity.Parse(me.Value.ToString()).Should().Be(me);
    }

    [Fact]
    public void A_reused_pid_with_another_start_time_is_not_alive()
    {
        var me = ProcessIdentity.Of(Environment.ProcessId)!.Value;

        (me with { StartTime = me.StartTime + 1 }).IsAlive.Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("12 x")]
    [InlineData("-1 5")]
    public void Garbage_records_are_ignored(string text) => ProcessIdentity.Parse(text).Should().BeNull();

    [Fact]
    public void The_table_records_and_lists_processes()
    {
        var dir = Path.Combine(Path.GetTempPath(), "raven-lab-pids-" + Guid.NewGuid().ToString("N"));
        try
        {
            var table = new LabProcessTable(dir);
            table.Record("self", Environment.ProcessId);

            table.Entries().Should().ContainKey("self").WhoseValue.Pid.Should().Be(Environment.ProcessId);
            var act = () => table.Record("../escape", Environment.ProcessId);
            act.Should().Throw<ArgumentException>();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
