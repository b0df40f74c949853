using Raven.Agent.Linux;

namespace Raven.Agent.Tests.Linux;

public sealed class StateDiffTests
{
    [Fact]
    public void Diff_splits_into_add_change_and_remove_by_key()
    {
        var desired = new[] { ("a", 1), ("b", 2), ("c", 3) };
        var actual = new[] { ("b", 2), ("c", 9), ("d", 4) };

        var diff = StateDiff.Compute(desired, actual, x => x.Item1, (a, d) => a.Item2 == d.Item2);

        diff.ToAdd.Should().Equal(("a", 1));
        diff.ToChange.Should().Equal((("c", 9), ("c", 3)));
        diff.ToRemove.Should().Equal(("d", 4));
        diff.IsEmpty.Should().BeFalse();
    }

    [Fact]
    public void Identical_states_give_an_empty_diff_and_duplicate_actuals_are_removed()
    {
        var diff = StateDiff.Compute(new[] { 1, 2 }, new[] { 2, 1, 2 }, x => x, (a, d) => true);

        diff.ToRemove.Should().Equal(2);
        StateDiff.Compute(new[] { 1, 2 }, new[] { 2, 1 }, x => x, (a, d) => true).IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void Duplicate_desired_key_is_rejected_with_the_key()
    {
        var act = () => StateDiff.Compute(new[] { "x", "x" }, Array.Empty<string>(), s => s, (a, d) => true);

        act.Should().Throw<ArgumentException>().WithMessage("*'x' twice*");
    }
}
