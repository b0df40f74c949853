using System.Diagnostics;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// Builds the command line that runs charon in a private mount namespace with a tmpfs over /run, so its hard-coded
/// /var/run/charon.pid cannot collide with another charon on the host. Every wrapper execs the next program
/// (<c>ip netns exec</c> or <c>unshare</c>, then <c>sh -c 'exec …'</c>), so the PID we get is charon's own.
/// </summary>
internal static class CharonCommand
{
    // $0 is the stdio file, "$@" charon. /var/run is a symlink to /run on Debian; where it is a directory it gets its
    // own tmpfs. The mounts vanish with the namespace when charon exits.
    private const string PrivateRunAndExec =
        "mount -t tmpfs -o mode=0755,size=4m raven-charon-run /run && " +
        "{ [ -L /var/run ] || mount -t tmpfs -o mode=0755,size=4m raven-charon-run /var/run; } && " +
        "exec \"$@\" </dev/null >>\"$0\" 2>&1";

    public static ProcessStartInfo Create(CharonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var info = new ProcessStartInfo { UseShellExecute = false };
        if (options.NetworkNamespace is { } ns)
        {
            ValidateNamespaceName(ns);

            // ip netns exec already gives the command a mount namespace of its own (to remount /sys).
            info.FileName = "ip";
            info.ArgumentList.Add("netns");
            info.ArgumentList.Add("exec");
            info.ArgumentList.Add(ns);
        }
        else
        {
            info.FileName = "unshare";
            info.ArgumentList.Add("--mount");
            info.ArgumentList.Add("--propagation");
            info.ArgumentList.Add("private");
        }

        info.ArgumentList.Add("sh");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(PrivateRunAndExec);
        info.ArgumentList.Add(options.StdioPath);
        info.ArgumentList.Add(options.Executable);
        info.Environment["STRONGSWAN_CONF"] = options.ConfigPath;
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
