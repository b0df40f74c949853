using Raven.Agent.Linux.Processes;

namespace Raven.Cli.Tests.Status;

/// <summary>A fact that needs Graphviz's dot (scripts/setup.sh installs it); skipped with the reason otherwise.</summary>
public sealed class GraphvizFactAttribute : FactAttribute
{
    public GraphvizFactAttribute()
    {
        Skip = File.Exists(ProcessCommandRunner.Resolve("dot")) ? null : "needs Graphviz dot (apt-get install --no-install-recommends graphviz)";
    }
}
