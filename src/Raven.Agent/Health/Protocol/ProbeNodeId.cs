using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Raven.Agent.Health.Protocol;

/// <summary>
/// A node's 64-bit id on the wire: the first 8 bytes of SHA-256 of its Kubernetes node name (UTF-8), big-endian.
/// Fixed size keeps a reply exactly as long as its request; probers know the candidate names and map ids back.
/// </summary>
public static class ProbeNodeId
{
    public static ulong Of(string nodeName)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(nodeName), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    public static string Format(ulong nodeId) => nodeId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
}
