using System.Globalization;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel.IPsec;
using Raven.Network.Tests.Agent;
using Raven.TestSupport;
using Raven.TestSupport.Network;
using Xunit.Abstractions;

namespace Raven.Network.Tests.IPsec;

/// <summary>
/// What kernel-libipsec (strongSwan 5.9.8, this machine) does with two CHILD SAs whose remote selectors are equal:
/// the question an IPsec hot standby stands on (issue 15). The cloud has one connection to edge1 (NATed, it answers)
/// and one to edge2 (public, it initiates); both remote selectors hold 10.201.9.0/24, and both edges own 10.201.9.9,
/// as the primary and the standby of one domain would own its subnets. The cloud's pod pings 10.201.9.9; which SA
/// carries it is read from charon's per-CHILD-SA counters, and what happens when that SA goes is observed.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(IpsecLabCollection.Name)]
public sealed class LibipsecEqualSelectorTests(ITestOutputHelper output)
{
    private const string Shared = "10.201.9.0/24";
    private const string SharedHost = "10.201.9.9";
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_child_sas_with_equal_remote_selectors_one_carries_and_the_other_takes_over_when_it_goes()
    {
        await using var lab = await IpsecLab.CreateAsync(withPublicEdge: true);
        var (cloud, edge1, edge2) = (lab["cloud"], lab["edge1"], lab["edge2"]);
        foreach (var edge in new[] { edge1, edge2 })
        {
            edge.Namespace.Ip("addr", "add", $"{SharedHost}/32", "dev", "lo"); // no dummy module on this kernel
        }

        var toEdge1 = With(IpsecTunnelTests.Spec(cloud, edge1, null, IpsecRole.Responder), remote: Shared);
        var toEdge2 = With(IpsecTunnelTests.Spec(cloud, edge2, edge2.IkeAddress, IpsecRole.Initiator), remote: Shared);
        await edge2.Tunnel.ApplyAsync([With(IpsecTunnelTests.Spec(edge2, cloud, cloud.IkeAddress, IpsecRole.Responder), local: Shared)], CancellationToken.None);
        await cloud.Tunnel.ApplyAsync([toEdge1], CancellationToken.None);
        await edge1.Tunnel.ApplyAsync([With(IpsecTunnelTests.Spec(edge1, cloud, cloud.IkeAddress, IpsecRole.Initiator), local: Shared)], CancellationToken.None);
        (await AgentLab.WaitForPingAsync(cloud.Pod, SharedHost, Converge)).Should().NotBeNull("edge1's CHILD SA carries the shared subnet");

        // The second CHILD SA with the same remote selector, installed after the first.
        await cloud.Tunnel.ApplyAsync([toEdge1, toEdge2], CancellationToken.None);
        var client = cloud.Tunnel.Supervisor!.Client;
        (await Poll.TryUntilAsync(() => Children(client).Count(c => c.Child.IsInstalled) == 2, Converge, TimeSpan.FromMilliseconds(100)))
            .Should().BeTrue("both CHILD SAs are installed: charon accepts equal selectors on two IKE SAs");
        var before = Children(client);
        Ping(cloud, 50);
        var afterPing = Children(client);
        output.WriteLine("equal selectors, edge1's installed first, then edge2's; 50 pings to the shared host:");
        var carriers = Delta(before, afterPing);
        output.WriteLine($"  packets out per connection: {string.Join(", ", carriers.Select(c => $"{c.Key}={c.Value}"))}");

        // The carrying SA goes (its IKE SA deleted, as a remote gateway would on its own health decision).
        var carrier = carriers.MaxBy(c => c.Value).Key;
        var survivor = carrier == "raven-edge1" ? "raven-edge2" : "raven-edge1";
        var ike = (await client.ListSasAsync(CancellationToken.None)).Single(s => s.Connection == carrier);
        using var ping = BackgroundPing.Start(cloud.Pod.Name, SharedHost, count: 300, interval: "0.01");
        await Task.Delay(TimeSpan.FromSeconds(0.5));
        await client.TerminateIkeAsync(ike.UniqueId, CancellationToken.None);
        var (sent, received, _) = await ping.ResultAsync(TimeSpan.FromSeconds(30));
        var afterTerminate = Children(client);
        output.WriteLine($"  {carrier}'s IKE SA terminated: 10 ms pings lost {sent - received} of {sent}; " +
                         $"packets out since: {string.Join(", ", Delta(afterPing, afterTerminate).Select(c => $"{c.Key}={c.Value}"))}");
        Delta(afterPing, afterTerminate).GetValueOrDefault(survivor).Should().BePositive("the other CHILD SA with the same selector carries on");
        received.Should().BePositive();
    }

    private static IpsecConnectionSpec With(IpsecConnectionSpec spec, string? local = null, string? remote = null) => spec with
    {
        LocalSubnets = local is null ? spec.LocalSubnets : [.. spec.LocalSubnets, System.Net.IPNetwork.Parse(local)],
        RemoteSubnets = remote is null ? spec.RemoteSubnets : [.. spec.RemoteSubnets, System.Net.IPNetwork.Parse(remote)],
    };

    private static List<(string Connection, ChildSa Child)> Children(CharonClient client) =>
        client.ListSasAsync(CancellationToken.None).GetAwaiter().GetResult().SelectMany(s => s.Children.Select(c => (s.Connection, c))).ToList();

    private static Dictionary<string, long> Delta(List<(string Connection, ChildSa Child)> before, List<(string Connection, ChildSa Child)> after) =>
        after.GroupBy(a => a.Connection).ToDictionary(g => g.Key,
            g => g.Sum(a => a.Child.PacketsOut) - before.Where(b => b.Connection == g.Key && g.Any(a => a.Child.UniqueId == b.Child.UniqueId)).Sum(b => b.Child.PacketsOut),
            StringComparer.Ordinal);

    private static void Ping(IpsecGateway from, int count) =>
        from.Pod.TryExec("ping", "-n", "-q", "-c", count.ToString(CultureInfo.InvariantCulture), "-i", "0.01", "-W", "1", SharedHost);
}
