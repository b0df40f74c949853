using System.CommandLine;
using Raven.Api.Benchmark;
using Raven.Cli.Benchmark;
using Raven.Cli.Progress;

namespace Raven.Cli.Commands;

/// <summary>`raven benchmark NODE_A NODE_B`: throughput and latency between two nodes through the agents' built-in endpoint.</summary>
internal static class BenchmarkCommand
{
    public static Command Create()
    {
        var kubeconfig = ClusterStatusReader.KubeconfigOption();
        var context = ClusterStatusReader.ContextOption();
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => StatusCommand.Table };
        output.AcceptOnlyFromAmong(StatusCommand.Table, StatusCommand.Json, StatusCommand.Yaml);
        var seconds = new Option<int>("--seconds") { Description = $"How long the TCP stream runs (1..{BenchmarkRequest.MaxSeconds}).", DefaultValueFactory = _ => BenchmarkRequest.DefaultSeconds };
        var echoes = new Option<int>("--echoes") { Description = $"TCP echo round trips for latency (1..{BenchmarkRequest.MaxEchoes}).", DefaultValueFactory = _ => BenchmarkRequest.DefaultEchoes };
        var source = new Argument<string>("NODE_A") { Description = "The node that sends (its agent measures)." };
        var target = new Argument<string>("NODE_B") { Description = $"The node that receives (its agent listens on TCP {BenchmarkRequest.Port} for this request only)." };
        var command = new Command("benchmark",
            "Measure TCP throughput and latency from NODE_A to NODE_B through the normal cross-domain path, using the agents' built-in endpoint (a kube-system ConfigMap request; docs/operating.md). Exit 1 when it fails, 2 on bad arguments.")
        {
            source, target, kubeconfig, context, output, seconds, echoes,
        };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(source)!, parse.GetValue(target)!, parse.GetValue(seconds), parse.GetValue(echoes),
            parse.GetValue(kubeconfig), parse.GetValue(context), parse.GetValue(output)!, Console.Out, Console.Error, ProgressTarget.Stderr(timestampPlainLines: true).Terminal, token));
        return command;
    }

    internal static async Task<int> RunAsync(string source, string target, int seconds, int echoes, string? kubeconfig, string? context, string format,
        TextWriter output, TextWriter errors, bool terminal, CancellationToken cancellationToken)
    {
        var problems = BenchmarkRequest.Validate(source, target, seconds, echoes);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await errors.WriteLineAsync($"raven benchmark: {problem}").ConfigureAwait(false);
            }

            return 2;
        }

        var outcome = await ProgressDisplay.RunAsync("raven benchmark", new ProgressTarget(errors, terminal, TimestampPlainLines: true), progress =>
            ClusterStatusReader.ReadAsync("benchmark", kubeconfig, context, errors,
                (client, token) => new BenchmarkRun(client, progress).RunAsync(source, target, seconds, echoes, token), cancellationToken)).ConfigureAwait(false);
        if (outcome is null)
        {
            return 1;
        }

        if (outcome.Result is null)
        {
            await errors.WriteLineAsync($"raven benchmark: {outcome.Failure}").ConfigureAwait(false);
            return 1;
        }

        await output.WriteAsync(BenchmarkFormats.Render(outcome.Result, format)).ConfigureAwait(false);
        return outcome.Result.Error is null ? 0 : 1;
    }
}
