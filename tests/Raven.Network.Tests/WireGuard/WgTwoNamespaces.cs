namespace Raven.Network.Tests.WireGuard;

/// <summary>
/// Two namespaces joined by a veth pair created directly between them (no end in the root namespace, no route out):
/// rvt-wg-a 198.51.100.1/24 and rvt-wg-b 198.51.100.2/24.
/// </summary>
internal sealed class WgTwoNamespaces : IAsyncDisposable
{
    public const string NsA = WgNetns.Prefix + "a";
    public const string NsB = WgNetns.Prefix + "b";
    public const string UnderlayA = "198.51.100.1";
    public const string UnderlayB = "198.51.100.2";

    private WgTwoNamespaces()
    {
    }

    public static async Task<WgTwoNamespaces> CreateAsync()
    {
        var topology = new WgTwoNamespaces();
        try
        {
            await WgNetns.IpAsync("netns", "add", NsA);
            await WgNetns.IpAsync("netns", "add", NsB);
            await WgNetns.IpAsync("-n", NsA, "link", "set", "lo", "up");
            await WgNetns.IpAsync("-n", NsB, "link", "set", "lo", "up");
            await WgNetns.IpAsync("-n", NsA, "link", "add", "rvtwgva", "type", "veth", "peer", "name", "rvtwgvb", "netns", NsB);
            await WgNetns.IpAsync("-n", NsA, "addr", "add", UnderlayA + "/24", "dev", "rvtwgva");
            await WgNetns.IpAsync("-n", NsB, "addr", "add", UnderlayB + "/24", "dev", "rvtwgvb");
            await WgNetns.IpAsync("-n", NsA, "link", "set", "rvtwgva", "up");
            await WgNetns.IpAsync("-n", NsB, "link", "set", "rvtwgvb", "up");
            return topology;
        }
        catch
        {
            await topology.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await WgNetns.DeleteNamespaceAsync(NsA);
        await WgNetns.DeleteNamespaceAsync(NsB);
    }
}
