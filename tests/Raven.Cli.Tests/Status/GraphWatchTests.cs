using Raven.Cli.Status;

namespace Raven.Cli.Tests.Status;

public sealed class GraphWatchTests
{
    [Fact]
    public async Task The_file_is_rewritten_only_when_the_drawing_changed_and_a_failed_read_keeps_it_and_is_told_once()
    {
        (string?, string?)[] reads = [("a", null), ("a", null), (null, "cannot read the cluster: refused"), (null, "cannot read the cluster: refused"), ("a", null), ("b", null)];
        var next = 0;
        var written = new List<string>();
        var told = new List<string>();
        using var stop = new CancellationTokenSource();
        var watch = new GraphWatch(_ =>
        {
            var read = reads[next++];
            if (next == reads.Length)
            {
                stop.Cancel();
            }

            return Task.FromResult(read);
        }, (dot, _) =>
        {
            written.Add(dot);
            return Task.FromResult<string?>(null);
        }, TimeSpan.Zero);

        await watch.RunAsync(told.Add, stop.Token);

        written.Should().Equal("a", "b");
        told.Should().Equal("wrote the graph", "cannot read the cluster: refused", "reading and writing work again", "the cluster changed: rewrote the graph");
    }

    [Fact]
    public async Task A_failed_write_is_tried_again_on_the_next_read()
    {
        var attempts = 0;
        using var stop = new CancellationTokenSource();
        var told = new List<string>();
        var watch = new GraphWatch(_ => Task.FromResult<(string?, string?)>(("a", null)), (_, _) =>
        {
            if (++attempts == 3)
            {
                stop.Cancel();
                return Task.FromResult<string?>(null);
            }

            return Task.FromResult<string?>("dot -Tsvg failed (exit 1): syntax error");
        }, TimeSpan.Zero);

        await watch.RunAsync(told.Add, stop.Token);

        attempts.Should().Be(3);
        told.Should().Equal("dot -Tsvg failed (exit 1): syntax error", "wrote the graph", "reading and writing work again");
    }
}
