using System.Security.Cryptography;
using System.Text;

namespace Raven.Agent.Health.Protocol;

/// <summary>
/// The probe authentication key: HKDF-SHA256 of <c>VPN_CONNECTION_PSK</c> with a probe-only label, so the probe key
/// never equals the WireGuard preshared key (SHA-256 of the same text) or the IKE secret. Without the variable probes
/// run unauthenticated (see docs/health-probes.md for what that leaves open).
/// </summary>
public sealed class ProbeKey
{
    public const string EnvironmentVariable = "VPN_CONNECTION_PSK";

    private const int KeyLength = 32;
    private static readonly byte[] Label = Encoding.ASCII.GetBytes("raven data-plane probe v1");
    private readonly byte[] _key;

    private ProbeKey(byte[] key)
    {
        _key = key;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(key, hash);
        Fingerprint = Convert.ToHexStringLower(hash[..4]);
    }

    /// <summary>Eight hex digits that tell two nodes' keys apart in logs without revealing them.</summary>
    public string Fingerprint { get; }

    public static ProbeKey FromPresharedKey(string presharedKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(presharedKey);
        var key = new byte[KeyLength];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(presharedKey), key, salt: [], info: Label);
        return new ProbeKey(key);
    }

    /// <summary>The key from <c>VPN_CONNECTION_PSK</c>, or null (unauthenticated probes) when it is unset or empty.</summary>
    public static ProbeKey? FromEnvironment(Func<string, string?>? environment = null)
    {
        var value = (environment ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        return string.IsNullOrEmpty(value) ? null : FromPresharedKey(value);
    }

    /// <summary>Writes the 16-byte MAC of <paramref name="data"/>.</summary>
    public void ComputeMac(ReadOnlySpan<byte> data, Span<byte> mac)
    {
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, data, full);
        full[..ProbeWire.MacLength].CopyTo(mac);
    }

    /// <summary>Constant-time check of a 16-byte MAC.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> mac)
    {
        Span<byte> expected = stackalloc byte[ProbeWire.MacLength];
        ComputeMac(data, expected);
        return mac.Length == ProbeWire.MacLength && CryptographicOperations.FixedTimeEquals(expected, mac);
    }

    public override string ToString() => $"probe key {Fingerprint}";
}
