using Raven.Lab.Run;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Lab;

/// <summary>The raven binary run as an operator runs it against the lab: its own process, the lab's kubeconfig.</summary>
internal static class LabRavenCli
{
    public static (int ExitCode, string StandardOutput, string StandardError) Run(LabRunner lab, params string[] arguments)
    {
        var command = LabDaemons.RavenCommand();
        return Shell.TryRun(command[0], null, [.. command.Skip(1), .. arguments, "--kubeconfig", lab.Paths.Kubeconfig]);
    }
}
