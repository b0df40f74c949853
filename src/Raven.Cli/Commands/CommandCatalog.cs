using System.CommandLine;

namespace Raven.Cli.Commands;

/// <summary>Every top-level command of `raven`. A command appears here only once it works.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return GatewayCommand.Create();
        yield return ConfigCommand.Create();
        yield return ApiServerCommand.Create();
        yield return ControllerCommand.Create();
        yield return AgentCommand.Create();
        yield return LabCommand.Create();
        yield return StatusCommand.Create();
        yield return GraphCommand.Create();
        yield return DiagnoseCommand.Create();
        yield return TraceCommand.Create();
        yield return BenchmarkCommand.Create();
    }
}
