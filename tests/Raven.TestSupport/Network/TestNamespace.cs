using System.Collections.Concurrent;
using System.Security.Cryptography;
using Raven.Lab.Build;
using Raven.Lab.Topology;

namespace Raven.TestSupport.Network;

/// <summary>
/// A network namespace named <c>rvt-AREA-RANDOM</c>, with loopback up, removed on Dispose (also when the test failed).
/// The first namespace of an area removes leftovers of that area from a crashed earlier run, and only those. Names
/// follow the lab's rules (<see cref="LabNames.CheckPrefix"/>) and leftovers are found the lab's way
/// (<see cref="LabBuilder.ExistingNamespaces"/>), so tests, benchmarks and <c>raven lab</c> share one namespace model.
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
        var prefix = Prefix(area);
        if (!CleanedAreas.GetOrAdd(area, _ => new Lazy<bool>(() => RemoveLeftovers(prefix))).Value)
        {
            throw new InvalidOperationException($"could not remove the leftovers of {prefix}*");
        }

        string name = prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
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

    /// <summary>The namespace prefix of an area, <c>rvt-AREA-</c>; only lowercase letters and digits make a valid area.</summary>
    public static string Prefix(string area)
    {
        if (string.IsNullOrEmpty(area) || !area.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"area '{area}' must be letters and digits", nameof(area));
        }

        var prefix = $"rvt-{area}-";
        return LabNames.CheckPrefix(prefix) is { } problem ? throw new ArgumentException(problem, nameof(area)) : prefix;
    }

    /// <summary>Creates a veth pair whose ends are born inside the two namespaces; no end ever exists in the root namespace.</summary>
    public static void CreateVethPair(TestNamespace a, string nameA, TestNamespace b, string nameB)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Shell.Run("ip", "link", "add", nameA, "netns", a.Name, "type", "veth", "peer", "name", nameB, "netns", b.Name);
    }

    /// <summary>A veth pair between two namespaces, each end addressed (CIDR notation) and up.</summary>
    public static void Link(TestNamespace a, string nameA, string addressA, TestNamespace b, string nameB, string addressB)
    {
        CreateVethPair(a, nameA, b, nameB);
        a.Ip("addr", "add", addressA, "dev", nameA);
        a.Ip("link", "set", nameA, "up");
        b.Ip("addr", "add", addressB, "dev", nameB);
        b.Ip("link", "set", nameB, "up");
    }

    /// <summary>Makes the namespace a router (IPv4 forwarding on).</summary>
    public void EnableForwarding() => Exec("sysctl", "-qw", "net.ipv4.ip_forward=1");

    /// <summary>Runs <c>ip -n NAME ARGS</c>.</summary>
    public string Ip(params string[] arguments) => Shell.Run("ip", ["-n", Name, .. arguments]);

    /// <summary>Runs a command inside the namespace with <c>ip netns exec</c>.</summary>
    public string Exec(string fileName, params string[] arguments) => Run(LabBuildPlan.InNamespace(Name, fileName, arguments));

    public (int ExitCode, string StandardOutput, string StandardError) TryExec(string fileName, params string[] arguments)
    {
        var command = LabBuildPlan.InNamespace(Name, fileName, arguments);
        return Shell.TryRun(command.Program, null, [.. command.Arguments]);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Shell.TryRun("ip", null, "netns", "del", Name);
    }

    private static string Run(Raven.Agent.Linux.Processes.CommandLine command) => Shell.Run(command.Program, [.. command.Arguments]);

    private static bool RemoveLeftovers(string prefix)
    {
        foreach (string name in LabBuilder.ExistingNamespaces(prefix))
        {
            Shell.TryRun("ip", null, "netns", "del", name);
        }

        return true;
    }
}
