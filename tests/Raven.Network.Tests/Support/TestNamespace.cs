using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Raven.Network.Tests.Support;

/// <summary>
/// A network namespace named <c>rvt-AREA-RANDOM</c>, with loopback up, removed on Dispose (also when the test failed).
/// The first namespace of an area removes leftovers of that area from a crashed earlier run, and only those.
/// </summary>
public sealed class TestNamespace : IDisposable
{
    private static readonly ConcurrentDictionary<string, Lazy<bool>> CleanedAreas = new(StringComparer.Ordinal);
    private bool _disposed;

    private TestNamespace(string name) => Name = name;

    public string Name { get; }

    /// <param name="area">Short tag of the test area (letters and digits), e.g. "nl" for rtnetlink tests.</param>
    public static TestNamespace Create(string area)
    {
        Root.Require();
        if (string.IsNullOrEmpty(area) || !area.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"area '{area}' must be letters and digits", nameof(area));
        }

        CleanedAreas.GetOrAdd(area, a => new Lazy<bool>(() => RemoveLeftovers(a))).Value.Should().BeTrue();
        string name = $"rvt-{area}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant()}";
        Shell.Run("ip", "netns", "add", name);
        var created = new TestNamespace(name);
        try
        {
            created.Ip("link", "set", "lo", "up");
        }
        catch
        {
            created.Dispose();
            throw;
        }

        return created;
    }

    /// <summary>Creates a veth pair whose ends are born inside the two namespaces; no end ever exists in the root namespace.</summary>
    public static void CreateVethPair(TestNamespace a, string nameA, TestNamespace b, string nameB)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Shell.Run("ip", "link", "add", nameA, "netns", a.Name, "type", "veth", "peer", "name", nameB, "netns", b.Name);
    }

    /// <summary>Runs <c>ip -n NAME ARGS</c>.</summary>
    public string Ip(params string[] arguments) => Shell.Run("ip", ["-n", Name, .. arguments]);

    /// <summary>Runs a command inside the namespace with <c>ip netns exec</c>.</summary>
    public string Exec(string fileName, params string[] arguments) => Shell.Run("ip", ["netns", "exec", Name, fileName, .. arguments]);

    public (int ExitCode, string StandardOutput, string StandardError) TryExec(string fileName, params string[] arguments) =>
        Shell.TryRun("ip", null, ["netns", "exec", Name, fileName, .. arguments]);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Shell.TryRun("ip", null, "netns", "del", Name);
    }

    private static bool RemoveLeftovers(string area)
    {
        string prefix = $"rvt-{area}-";
        if (!Directory.Exists("/var/run/netns"))
        {
            return true;
        }

        foreach (string path in Directory.GetFiles("/var/run/netns", prefix + "*"))
        {
            Shell.TryRun("ip", null, "netns", "del", Path.GetFileName(path));
        }

        return true;
    }
}
