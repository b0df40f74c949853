using System.Diagnostics;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>
/// Builds the command line that starts wireguard-go in the foreground. Every wrapper execs the next program
/// (<c>ip netns exec</c>, then <c>sh -c 'exec …'</c>), so the PID we get is the daemon's own.
/// </summary>
internal static class WireGuardGoCommand
{
    // $0 is the log file, "$@" the daemon and its interface; stdin is detached from the agent as well.
    private const string RedirectAndExec = "exec \"$@\" </dev/null >>\"$0\" 2>&1";

    public static ProcessStartInfo Create(WireGuardGoOptions options)
    {
        UapiSocket.ValidateInterfaceName(options.InterfaceName);
        var info = new ProcessStartInfo { UseShellExecute = false };

        if (options.NetworkNamespace is { } ns)
        {
            ValidateNamespaceName(ns);
            info.FileName = "ip";
            info.ArgumentList.Add("netns");
            info.ArgumentList.Add("exec");
            info.ArgumentList.Add(ns);
            info.ArgumentList.Add("sh");
        }
        else
        {
            info.FileName = "sh";
        }

        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(RedirectAndExec);
        info.ArgumentList.Add(options.LogFile);
        info.ArgumentList.Add(options.Executable);
        info.ArgumentList.Add(options.InterfaceName);

        // Without this wireguard-go forks a detached child and the parent exits at once.
        info.Environment["WG_PROCESS_FOREGROUND"] = "1";
        info.Environment["LOG_LEVEL"] = options.LogLevel;
        return info;
    }

    private static void ValidateNamespaceName(string name)
    {
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name is "." or ".." || name.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"Invalid network namespace name \"{name}\".", nameof(name));
        }
    }
}
