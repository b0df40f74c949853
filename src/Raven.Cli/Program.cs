using System.CommandLine;
using Raven.Cli.Commands;

var root = new RootCommand("Raven for .NET: cross-network-domain networking for edge Kubernetes clusters.");
foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
