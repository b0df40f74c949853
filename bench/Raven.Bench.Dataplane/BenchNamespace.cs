using System.Security.Cryptography;

namespace Raven.Bench.Dataplane;

/// <summary>A network namespace named <c>rvb-RANDOM</c> with loopback up, removed on Dispose.</summary>
internal sealed class BenchNamespace : IDisposable
{
    public const string Prefix = "rvb-";
    private bool _disposed;

    private BenchNamespace(string name) => Name = name;

    public string Name { get; }

    public static BenchNamespace Create()
    {
        string name = Prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        Shell.Run("ip", "netns", "add", name);
        var created = new BenchNamespace(name);
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

    /// <summary>Removes rvb- namespaces a crashed earlier run left behind (only this prefix).</summary>
    public static void RemoveLeftovers()
    {
        if (!Directory.Exists("/var/run/netns"))
        {
            return;
        }

        foreach (string path in Directory.GetFiles("/var/run/netns", Prefix + "*"))
        {
            Shell.TryRun("ip", "netns", "del", Path.GetFileName(path));
        }
    }

    /// <summary>Both veth ends are born inside the two namespaces; none ever exists in the root namespace.</summary>
    public static void CreateVethPair(BenchNamespace a, string nameA, BenchNamespace b, string nameB) =>
        Shell.Run("ip", "link", "add", nameA, "netns", a.Name, "type", "veth", "peer", "name", nameB, "netns", b.Name);

    public string Ip(params string[] arguments) => Shell.Run("ip", ["-n", Name, .. arguments]);

    public string Exec(string fileName, params string[] arguments) => Shell.Run("ip", ["netns", "exec", Name, fileName, .. arguments]);

    public (int ExitCode, string StandardOutput, string StandardError) TryExec(string fileName, params string[] arguments) =>
        Shell.TryRun("ip", ["netns", "exec", Name, fileName, .. arguments]);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Shell.TryRun("ip", "netns", "del", Name);
    }
}
