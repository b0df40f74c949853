namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// Names the TUN interface a process holds open. kernel-libipsec asks the kernel for "ipsec%d", so a second
/// libipsec on the host gets ipsec1; the kernel's fdinfo for /dev/net/tun names the interface ("iff:"), which tells
/// exactly which device is our charon's.
/// </summary>
public static class TunDevice
{
    private const string TunPath = "/dev/net/tun";

    /// <summary>The TUN interface names <paramref name="pid"/> has attached, in fd order; empty when none or gone.</summary>
    public static IReadOnlyList<string> HeldBy(int pid, string procRoot = "/proc")
    {
        var names = new List<string>();
        var fdDirectory = Path.Combine(procRoot, pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "fd");
        string[] fds;
        try
        {
            fds = Directory.GetFiles(fdDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return names;
        }

        foreach (var fd in fds.OrderBy(f => int.TryParse(Path.GetFileName(f), out var n) ? n : int.MaxValue))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget != TunPath)
                {
                    continue;
                }

                var info = File.ReadAllText(Path.Combine(procRoot, pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "fdinfo", Path.GetFileName(fd)));
                if (ParseInterface(info) is { } name)
                {
                    names.Add(name);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The fd closed while we looked.
            }
        }

        return names;
    }

    /// <summary>The "iff:" value of a TUN fd's fdinfo; null before the fd is attached to an interface.</summary>
    public static string? ParseInterface(string fdinfo)
    {
        ArgumentNullException.ThrowIfNull(fdinfo);
        foreach (var line in fdinfo.Split('\n'))
        {
            if (line.StartsWith("iff:", StringComparison.Ordinal))
            {
                var name = line["iff:".Length..].Trim();
                return name.Length > 0 ? name : null;
            }
        }

        return null;
    }
}
