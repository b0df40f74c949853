using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Raven.Agent.Linux.Processes;
using Raven.Lab.Build;
using Raven.Lab.Shell;

namespace Raven.Network.Tests.Lab;

/// <summary>Traffic and state probes run inside the lab's namespaces.</summary>
internal sealed class LabProbe(ICommandRunner runner)
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(10);

    public Task<bool> PingOnceAsync(string netns, IPAddress target) =>
        new Raven.Lab.Run.LabProbe(runner).PingAsync(netns, target, CancellationToken.None);

    /// <summary>Polls until a ping is answered or the deadline passes (ARP and conntrack need a moment).</summary>
    public async Task<bool> PingEventuallyAsync(string netns, IPAddress target)
    {
        var watch = Stopwatch.StartNew();
        do
        {
            if (await PingOnceAsync(netns, target))
            {
                return true;
            }
        }
        while (watch.Elapsed < Convergence);
        return false;
    }

    /// <summary>True when none of a few pings is answered.</summary>
    public async Task<bool> NeverAnsweredAsync(string netns, IPAddress target, int attempts = 2)
    {
        for (var i = 0; i < attempts; i++)
        {
            if (await PingOnceAsync(netns, target))
            {
                return false;
            }
        }

        return true;
    }

    public async Task<IReadOnlyList<string>> Ipv4AddressesAsync(string netns, string device)
    {
        using var json = await IpJsonAsync(netns, "-4", "addr", "show", "dev", device);
        return json.RootElement.EnumerateArray()
            .SelectMany(link => link.GetProperty("addr_info").EnumerateArray())
            .Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}")
            .ToList();
    }

    /// <summary>Interface names in a namespace, or in the root namespace when <paramref name="netns"/> is null.</summary>
    public async Task<IReadOnlyList<string>> InterfaceNamesAsync(string? netns)
    {
        var arguments = netns is null ? new[] { "-j", "link", "show" } : ["-n", netns, "-j", "link", "show"];
        var result = await runner.RunCheckedAsync(new CommandLine("ip", arguments), CancellationToken.None);
        using var json = JsonDocument.Parse(result.StandardOutput);
        return json.RootElement.EnumerateArray().Select(l => l.GetProperty("ifname").GetString()!).ToList();
    }

    public async Task<int> DefaultRouteCountAsync(string netns)
    {
        using var json = await IpJsonAsync(netns, "-4", "route", "show", "default");
        return json.RootElement.GetArrayLength();
    }

    public async Task<string> MacAsync(string netns, string device)
    {
        using var json = await IpJsonAsync(netns, "link", "show", "dev", device);
        return json.RootElement[0].GetProperty("address").GetString()!;
    }

    public async Task<string?> NeighbourMacAsync(string netns, IPAddress address)
    {
        using var json = await IpJsonAsync(netns, "neigh", "show", address.ToString());
        return json.RootElement.EnumerateArray()
            .Select(n => n.TryGetProperty("lladdr", out var mac) ? mac.GetString() : null)
            .FirstOrDefault(m => m is not null);
    }

    private async Task<JsonDocument> IpJsonAsync(string netns, params string[] arguments)
    {
        var result = await runner.RunCheckedAsync(new CommandLine("ip", ["-n", netns, "-j", .. arguments]), CancellationToken.None);
        return JsonDocument.Parse(result.StandardOutput);
    }
}
