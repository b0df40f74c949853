using System.CommandLine;
using Raven.Cli.Diagnose;
using Raven.Cli.Progress;

namespace Raven.Cli.Commands;

/// <summary>`raven diagnose`: ordered PASS/WARN/FAIL checks with remedies, from any kubeconfig; exit 1 on any FAIL.</summary>
internal static class DiagnoseCommand
{
    public static Command Create()
    {
        var kubeconfig = ClusterStatusReader.KubeconfigOption();
        var context = ClusterStatusReader.ContextOption();
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => StatusCommand.Table };
        output.AcceptOnlyFromAmong(StatusCommand.Table, StatusCommand.Json, StatusCommand.Yaml);
        var command = new Command("diagnose",
            "Check the cluster's Raven set-up in order (CRD, node membership and addresses, overlaps, endpoints, agent leases, raven-cfg, raven-agent-config, PSK, webhooks, VPN drivers, clock skew): each PASS, WARN or FAIL with a remedy. Exit 1 on any FAIL or when the cluster cannot be read.")
        {
            kubeconfig, context, output,
        };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(kubeconfig), parse.GetValue(context), parse.GetValue(output)!, Console.Out, Console.Error, token));
        return command;
    }

    internal static async Task<int> RunAsync(string? kubeconfig, string? context, string format, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        Func<Task<DiagnoseSnapshot?>> read = () =>
            ClusterStatusReader.ReadAsync("diagnose", kubeconfig, context, errors, DiagnoseSnapshotLoader.LoadAsync, cancellationToken);
        // A spinner only for a person at a terminal reading the table; tests and pipes get the output alone.
        var snapshot = ReferenceEquals(output, Console.Out) && format == StatusCommand.Table && ProgressTarget.Stdout.Terminal
            ? await ProgressDisplay.RunAsync("reading Gateways, Nodes, agent Leases, ConfigMaps, webhooks and CRDs", ProgressTarget.Stdout, _ => read()).ConfigureAwait(false)
            : await read().ConfigureAwait(false);
        if (snapshot is null)
        {
            return 1;
        }

        // Lease ages are judged against the moment the objects were read, as `raven status` does.
        var report = Diagnosis.Run(snapshot, snapshot.Cluster.ReadAt);
        await output.WriteAsync(DiagnoseFormats.Render(report, format)).ConfigureAwait(false);
        return report.ExitCode;
    }
}
