using System.Diagnostics;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>Builds the command line that starts wireguard-go in the foreground, so its PID is the daemon's PID.</summary>
internal static class WireGuardGoCommand
{
    public static ProcessStartInfo Create(WireGuardGoOptions options)
    {
        UapiSocket.ValidateInterfaceName(options.InterfaceName);
        var info = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        if (options.NetworkNamespace is { } ns)
        {
            ValidateNamespaceName(ns);

            // `ip netns exec` execs the command, so the PID we get is wireguard-go's own.
            info.FileName = "ip";
            info.ArgumentList.Add("netns");
            info.ArgumentList.Add("exec");
            info.ArgumentList.Add(ns);
            info.ArgumentList.Add(options.Executable);
        }
        else
        {
            info.FileName = options.Executable;
        }

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
