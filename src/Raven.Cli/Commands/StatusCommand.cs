using System.CommandLine;
using Raven.Cli.Status;

namespace Raven.Cli.Commands;

/// <summary>`raven status`: gateways, their endpoints' roles and nodes per domain, problems first, from any kubeconfig.</summary>
internal static class StatusCommand
{
    public const string Table = "table";
    public const string Json = "json";
    public const string Yaml = "yaml";

    public static Command Create()
    {
        var kubeconfig = ClusterStatusReader.KubeconfigOption();
        var context = ClusterStatusReader.ContextOption();
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => Table };
        output.AcceptOnlyFromAmong(Table, Json, Yaml);
        var command = new Command("status", "Show every gateway (domain): its serving, standby and candidate tunnel endpoints, proxy endpoints and nodes, problems first. Exit 1 only when the cluster cannot be read.")
        {
            kubeconfig, context, output,
        };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(kubeconfig), parse.GetValue(context), parse.GetValue(output)!, Console.Out, Console.Error, token));
        return command;
    }

    internal static async Task<int> RunAsync(string? kubeconfig, string? context, string format, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        var report = await ClusterStatusReader.ReadAsync("status", kubeconfig, context, errors, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            return 1;
        }

        await output.WriteAsync(Render(report, format)).ConfigureAwait(false);
        return 0;
    }

    internal static string Render(StatusReport report, string format) => format switch
    {
        Json => StatusFormats.ToJson(report),
        Yaml => StatusFormats.ToYaml(report),
        _ => StatusTable.Render(report),
    };
}
