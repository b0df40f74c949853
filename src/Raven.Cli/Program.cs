using System.CommandLine;
using Raven.Cli.Commands;

var root = new RootCommand("Raven for .NET: cross-network-domain networking for edge Kubernetes clusters.");
foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}

// Signals are ours alone (see Shutdown): System.CommandLine's own handler left a running agent alone until its
// timeout, then returned 143 while the process stayed up; two handlers would race each other.
using var shutdown = new Shutdown();
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, shutdown.Token);
