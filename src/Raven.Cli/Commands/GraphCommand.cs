using System.CommandLine;
using Raven.Agent.Linux.Processes;
using Raven.Cli.Status;

namespace Raven.Cli.Commands;

/// <summary>`raven graph -o FILE.dot|.svg|.png`: the status report drawn with Graphviz (domains as clusters).</summary>
internal static class GraphCommand
{
    public static Command Create()
    {
        var kubeconfig = ClusterStatusReader.KubeconfigOption();
        var context = ClusterStatusReader.ContextOption();
        var output = new Option<string>("--output", "-o") { Description = "File to write; its extension picks the format: .dot (or .gv) DOT text, .svg or .png through Graphviz dot.", Required = true };
        var dot = new Option<string>("--dot-program") { Description = "The Graphviz dot to run for .svg and .png.", DefaultValueFactory = _ => "dot" };
        var watch = new Option<bool>("--watch", "-w") { Description = "Keep running: read the cluster every --interval and rewrite the file whenever the drawing changed (Ctrl-C ends)." };
        var interval = new Option<double>("--interval") { Description = "Seconds between reads with --watch.", DefaultValueFactory = _ => 2 };
        interval.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is < 0.2 or > 3600)
            {
                result.AddError("--interval must be between 0.2 and 3600 seconds");
            }
        });
        var command = new Command("graph", "Draw the cluster: domains as clusters, nodes, serving and standby gateways, tunnels between serving gateways, L7 proxy links dashed.")
        {
            kubeconfig, context, output, dot, watch, interval,
        };
        command.SetAction((parse, token) => parse.GetValue(watch)
            ? WatchAsync(parse.GetValue(kubeconfig), parse.GetValue(context), parse.GetValue(output)!, parse.GetValue(dot)!, TimeSpan.FromSeconds(parse.GetValue(interval)), Console.Out, token)
            : RunAsync(parse.GetValue(kubeconfig), parse.GetValue(context), parse.GetValue(output)!, parse.GetValue(dot)!, Console.Out, Console.Error, token));
        return command;
    }

    internal static async Task<int> RunAsync(string? kubeconfig, string? context, string path, string dotProgram, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (GraphFile.FormatOf(path) is null)
        {
            await errors.WriteLineAsync($"raven graph: {path}: the file name must end in .dot, .gv, .svg or .png (the format follows it)").ConfigureAwait(false);
            return 2;
        }

        var report = await ClusterStatusReader.ReadAsync("graph", kubeconfig, context, errors, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            return 1;
        }

        var failure = await new GraphFile(new ProcessCommandRunner(), dotProgram).WriteAsync(GraphDot.Render(report), path, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            await errors.WriteLineAsync($"raven graph: {failure}").ConfigureAwait(false);
            return 1;
        }

        await output.WriteLineAsync($"wrote {path} ({report.Gateways.Count} gateway(s), {report.Problems.Count} problem(s); `raven status` lists them)").ConfigureAwait(false);
        return 0;
    }

    internal static async Task<int> WatchAsync(string? kubeconfig, string? context, string path, string dotProgram, TimeSpan interval, TextWriter output, CancellationToken cancellationToken)
    {
        if (GraphFile.FormatOf(path) is null)
        {
            await Console.Error.WriteLineAsync($"raven graph: {path}: the file name must end in .dot, .gv, .svg or .png (the format follows it)").ConfigureAwait(false);
            return 2;
        }

        var file = new GraphFile(new ProcessCommandRunner(), dotProgram);
        var watch = new GraphWatch(async token =>
        {
            // The reader's one-line failure is caught here so that a flapping API server is told once, not every read.
            using var failure = new StringWriter();
            var report = await ClusterStatusReader.ReadAsync("graph", kubeconfig, context, failure, token).ConfigureAwait(false);
            return report is null ? (null, failure.ToString().Trim()) : (GraphDot.Render(report), null);
        }, (dot, token) => file.WriteAsync(dot, path, token), interval);
        await output.WriteLineAsync($"watching the cluster every {interval.TotalSeconds:0.#}s, drawing {path} (Ctrl-C ends)").ConfigureAwait(false);
        await watch.RunAsync(line => output.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} {line}"), cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
