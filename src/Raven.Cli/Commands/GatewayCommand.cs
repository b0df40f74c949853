using System.CommandLine;

namespace Raven.Cli.Commands;

internal static class GatewayCommand
{
    public static Command Create()
    {
        var command = new Command("gateway", "Work with Gateway manifests offline (validate, convert).");
        return command;
    }
}
