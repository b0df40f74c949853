using Raven.Api.Net;
using System.Globalization;
using System.Net;

namespace Raven.Agent.Planning;

/// <summary>
/// raven0 addresses and MACs, derived from a node's private IP with no shared state.
///
/// Mapping: keep the low 28 bits of the private IPv4 (the last 32 bits for IPv6) and put them into 240.0.0.0/4
/// (overlay = 0xF0000000 | (ip &amp; 0x0FFFFFFF)). 240.0.0.0/4 is reserved: it is never a node, pod, service or
/// CGNAT address (100.64.0.0/10 is, on many clusters), and upstream already uses it on raven0.
///
/// Why it is collision-free in practice: two private IPs collide only if they differ solely in the HIGH four bits
/// of the first octet. Upstream's 240.b.c.d drops the whole first octet, so 10.0.1.5 and 192.0.1.5 collide; here
/// the low nibble of the first octet survives, and the private ranges' first octets 10, 172, 192 and 100 have the
/// distinct low nibbles 0xA, 0xC, 0x0 and 0x4. So nodes inside RFC 1918 / RFC 6598 space never collide, and
/// neither do neighbours such as 10.x and 11.x. Rare public-address pairs (10.x vs 26.x) are detected by
/// <see cref="Assign"/> and reported, never silently shared.
/// </summary>
public static class OverlayAddressing
{
    public const int PrefixLength = 4;
    private const uint OverlayBase = 0xF000_0000;
    private const uint LowBits = 0x0FFF_FFFF;

    public static IPAddress AddressFor(IPAddress privateIp)
    {
        ArgumentNullException.ThrowIfNull(privateIp);
        var low32 = (uint)(Cidr.ToBits(privateIp) & uint.MaxValue);
        return Cidr.ToAddress(OverlayBase | (low32 & LowBits), isIPv6: false);
    }

    /// <summary>"aa:0f:" followed by the four overlay bytes, e.g. aa:0f:fa:00:01:05 for 10.0.1.5.</summary>
    public static string MacFor(IPAddress overlay)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var bytes = overlay.GetAddressBytes();
        return KernelNames.MacPrefix + ":" + string.Join(":", bytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// Overlay addresses for one VXLAN domain. The hub (<paramref name="preferred"/>, the tunnel gateway node) is
    /// served first, then nodes by name; a node whose overlay address is already taken, or is the limited
    /// broadcast address, gets none and is reported, and the rest of the domain keeps working.
    /// </summary>
    public static IReadOnlyDictionary<string, IPAddress> Assign(
        IEnumerable<DomainNode> nodes, string? preferred, string subject, List<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var owners = new Dictionary<IPAddress, string>();
        var result = new Dictionary<string, IPAddress>(StringComparer.Ordinal);
        foreach (var node in nodes.OrderBy(n => n.Name != preferred).ThenBy(n => n.Name, StringComparer.Ordinal))
        {
            var overlay = AddressFor(node.PrivateIp);
            if (overlay.Equals(IPAddress.Broadcast))
            {
                diagnostics.Add(new(subject, $"node {node.Name}: privateIP {node.PrivateIp} maps to the broadcast address on raven0; node left out", DiagnosticKind.SkippedInput));
            }
            else if (owners.TryGetValue(overlay, out var owner))
            {
                diagnostics.Add(new(subject,
                    $"node {node.Name}: raven0 address {overlay} collides with node {owner}; node left out of VXLAN", DiagnosticKind.SkippedInput));
            }
            else
            {
                owners.Add(overlay, node.Name);
                result.Add(node.Name, overlay);
            }
        }

        return result;
    }
}
