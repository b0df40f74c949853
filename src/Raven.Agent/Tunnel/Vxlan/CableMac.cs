using System.Security.Cryptography;
using System.Text;
using Raven.Agent.Linux;

namespace Raven.Agent.Tunnel.Vxlan;

/// <summary>
/// The cable MAC of a gateway node, derived from its node name so that every gateway computes every other's without
/// publishing anything: locally administered unicast <c>aa:1f</c> (raven0 uses <c>aa:0f</c>) and four bytes of
/// SHA-256 of the name. The receiving kernel drops frames not addressed to its device's MAC, so both ends must agree.
/// </summary>
public static class CableMac
{
    public static MacAddress For(string nodeName)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(nodeName), hash);
        Span<byte> mac = [0xaa, 0x1f, hash[0], hash[1], hash[2], hash[3]];
        return MacAddress.FromBytes(mac);
    }
}
