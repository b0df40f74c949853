using System.CommandLine;
using Raven.Cli.Trace;

namespace Raven.Cli.Commands;

/// <summary>`raven trace SRC DST`: the hops a packet takes between two pods, nodes or IPs, from any kubeconfig; exit 1 on a FAIL hop.</summary>
internal static class TraceCommand
{
    public static Command Create()
    {
        var kubeconfig = ClusterStatusReader.KubeconfigOption();
        var context = ClusterStatusReader.ContextOption();
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => StatusCommand.Table };
        output.AcceptOnlyFromAmong(StatusCommand.Table, StatusCommand.Json, StatusCommand.Yaml);
        var source = new Argument<string>("SRC") { Description = "A pod ([namespace/]name), a node name, or an IP (a pod's, a node's InternalIP, or inside a node's pod CIDR)." };
        var destination = new Argument<string>("DST") { Description = "The same kinds as SRC." };
        var command = new Command("trace",
            "Show the path a packet takes from SRC to DST hop by hop (pod, node, raven0 to the domain's gateway, the tunnel direct or relayed, the remote gateway, node, pod), each hop's health and the reason for each choice; then the reply's path from DST back to SRC and whether it mirrors the request. Exit 1 on a FAIL hop in either direction, an end that names no single place, or when the cluster cannot be read.")
        {
            source, destination, kubeconfig, context, output,
        };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(source)!, parse.GetValue(destination)!, parse.GetValue(kubeconfig), parse.GetValue(context),
            parse.GetValue(output)!, Console.Out, Console.Error, token));
        return command;
    }

    internal static async Task<int> RunAsync(string source, string destination, string? kubeconfig, string? context, string format, TextWriter output, TextWriter errors,
        CancellationToken cancellationToken)
    {
        var namespaces = PodNamespaces(source, destination);
        var snapshot = await ClusterStatusReader.ReadAsync("trace", kubeconfig, context, errors,
            (client, token) => TraceSnapshotLoader.LoadAsync(client, namespaces, token), cancellationToken).ConfigureAwait(false);
        if (snapshot is null)
        {
            return 1;
        }

        var report = TraceBuilder.Build(snapshot, source, destination);
        await output.WriteAsync(TraceFormats.Render(report, format)).ConfigureAwait(false);
        return report.ExitCode;
    }

    /// <summary>Only the namespaces named when both ends are namespace/name; otherwise every namespace (a bare name or IP may be any pod).</summary>
    internal static IReadOnlyCollection<string>? PodNamespaces(params string[] ends) =>
        ends.All(e => e.Contains('/', StringComparison.Ordinal)) ? [.. ends.Select(e => e[..e.IndexOf('/', StringComparison.Ordinal)])] : null;
}
