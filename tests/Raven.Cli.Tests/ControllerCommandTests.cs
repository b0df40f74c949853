using System.CommandLine;
using Raven.Cli.Commands;

namespace Raven.Cli.Tests;

public class ControllerCommandTests
{
    [Theory]
    [InlineData(new string[0], true)]
    [InlineData(new[] { "--leader-elect" }, true)]
    [InlineData(new[] { "--leader-elect", "true" }, true)]
    [InlineData(new[] { "--leader-elect", "false" }, false)]
    [InlineData(new[] { "--leader-elect=false" }, false)]
    [InlineData(new[] { "--leader-elect", "false", "--resync-period", "30" }, false)]
    public void Leader_elect_is_a_bare_switch_or_takes_true_or_false(string[] args, bool expected)
    {
        var parse = ControllerCommand.Create().Parse(args);

        parse.Errors.Should().BeEmpty();
        parse.GetValue<bool>("--leader-elect").Should().Be(expected);
    }

    [Fact]
    public void Help_shows_leader_elect_with_its_value()
    {
        var output = new StringWriter();
        var root = new RootCommand { ControllerCommand.Create() };

        root.Parse(["controller", "--help"]).Invoke(new InvocationConfiguration { Output = output });

        output.ToString().Should().MatchRegex(@"--leader-elect <true\|false>\s+Elect a leader").And.Contain("--leader-elect false");
    }
}
