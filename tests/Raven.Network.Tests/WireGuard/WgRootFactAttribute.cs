namespace Raven.Network.Tests.WireGuard;

/// <summary>A fact that needs root, /dev/net/tun, `ip` and wireguard-go; skipped with the reason otherwise.</summary>
public sealed class WgRootFactAttribute : FactAttribute
{
    public WgRootFactAttribute()
    {
        Skip = MissingPrerequisite();
    }

    private static string? MissingPrerequisite()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return "needs root on Linux";
        }

        if (!File.Exists("/dev/net/tun"))
        {
            return "needs /dev/net/tun";
        }

        return OnPath("wireguard-go") && OnPath("ip") && OnPath("ping")
            ? null
            : "needs wireguard-go, iproute2 and ping (apt-get install --no-install-recommends wireguard-go iproute2 iputils-ping)";
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, tool)));
}
