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
        var command = new Command("graph", "Draw the cluster: domains as clusters, nodes, serving and standby gateways, tunnels between serving gateways, L7 proxy links dashed.")
        {
            kubeconfig, context, output, dot,
        };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(kubeconfig), parse.GetValue(context), parse.GetValue(output)!, parse.GetValue(dot)!, Console.Out, Console.Error, token));
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
}
