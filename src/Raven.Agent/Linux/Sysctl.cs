namespace Raven.Agent.Linux;

/// <summary>
/// Reads and writes kernel parameters under /proc/sys, writing only when the value differs. Network sysctls
/// belong to the network namespace of the thread that opens the file.
/// </summary>
public sealed class Sysctl(string root = "/proc/sys")
{
    private long _writes;

    public string Root { get; } = root ?? throw new ArgumentNullException(nameof(root));

    /// <summary>Number of writes performed (unchanged values are not written).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Path segments for net.ipv4.conf.DEVICE.PARAMETER; device names may contain dots, so they are not split.</summary>
    public static string[] Ipv4Conf(string device, string parameter) => ["net", "ipv4", "conf", ValidSegment(device), ValidSegment(parameter)];

    public static string[] IpForward { get; } = ["net", "ipv4", "ip_forward"];

    /// <summary>Splits a dotted key like "net.ipv4.ip_forward"; use <see cref="Ipv4Conf"/> for per-device keys.</summary>
    public static string[] Key(string dotted)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dotted);
        return dotted.Split('.').Select(ValidSegment).ToArray();
    }

    public string Read(IReadOnlyList<string> key) => File.ReadAllText(PathOf(key)).Trim();

    /// <summary>Writes the value if it differs; returns true when it wrote.</summary>
    public bool Ensure(IReadOnlyList<string> key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string path = PathOf(key);
        string current;
        try
        {
            current = File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidOperationException($"sysctl {string.Join('.', key)} does not exist ({path})", ex);
        }

        if (string.Equals(current, value.Trim(), StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            File.WriteAllText(path, value.Trim() + "\n");
        }
        catch (IOException ex)
        {
            throw new IOException($"sysctl {string.Join('.', key)} = {value}: {ex.Message}", ex);
        }

        Interlocked.Increment(ref _writes);
        return true;
    }

    private static string ValidSegment(string segment)
    {
        if (string.IsNullOrWhiteSpace(segment) || segment.Contains('/', StringComparison.Ordinal) || segment is "." or "..")
        {
            throw new ArgumentException($"invalid sysctl key segment '{segment}'", nameof(segment));
        }

        return segment;
    }

    private string PathOf(IReadOnlyList<string> key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Count == 0)
        {
            throw new ArgumentException("empty sysctl key", nameof(key));
        }

        return Path.Combine([Root, .. key.Select(ValidSegment)]);
    }
}
