using Raven.Lab.Run;
using Raven.Lab.Topology;

namespace Raven.Cli.Commands;

/// <summary>How the lab starts `raven agent` for one node; null while the agent is not part of the build.</summary>
internal static class AgentArguments
{
    public static Func<LabNode, LabPaths, IReadOnlyList<string>>? ForLab => null;
}
