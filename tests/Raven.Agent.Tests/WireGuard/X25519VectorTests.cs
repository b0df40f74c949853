using NSec.Cryptography;
using Raven.Agent.Tunnel.WireGuard;

namespace Raven.Agent.Tests.WireGuard;

/// <summary>
/// RFC 7748 test vectors run against the X25519 the agent uses (libsodium through NSec): public keys through
/// <see cref="WireGuardKey.PublicKey"/>, scalar multiplication by an arbitrary u-coordinate through NSec's key agreement.
/// </summary>
public class X25519VectorTests
{
    [Theory]
    // RFC 7748 §5.2 test vectors; the second u-coordinate has its top bit set, which X25519 must ignore.
    [InlineData(
        "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
        "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
        "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")]
    [InlineData(
        "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
        "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
        "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957")]
    public void ScalarMult_matches_rfc7748_vectors(string scalar, string u, string expected)
    {
        var result = ScalarMult(Convert.FromHexString(scalar), Convert.FromHexString(u));

        Convert.ToHexStringLower(result).Should().Be(expected);
    }

    [Theory]
    [InlineData(1, "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079")]
    [InlineData(1000, "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51")]
    public void Iterated_scalar_mult_matches_rfc7748(int iterations, string expected)
    {
        var k = new byte[32];
        k[0] = 9;
        var u = (byte[])k.Clone();
        for (var i = 0; i < iterations; i++)
        {
            var next = ScalarMult(k, u);
            u = k;
            k = next;
        }

        Convert.ToHexStringLower(k).Should().Be(expected);
    }

    [Fact]
    public void Diffie_hellman_matches_rfc7748_section_6_1()
    {
        var alicePrivate = Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        var bobPrivate = Convert.FromHexString("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");

        var alicePublic = WireGuardKey.FromBytes(alicePrivate).PublicKey().AsSpan().ToArray();
        var bobPublic = WireGuardKey.FromBytes(bobPrivate).PublicKey().AsSpan().ToArray();

        Convert.ToHexStringLower(alicePublic).Should().Be("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        Convert.ToHexStringLower(bobPublic).Should().Be("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        const string shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        Convert.ToHexStringLower(ScalarMult(alicePrivate, bobPublic)).Should().Be(shared);
        Convert.ToHexStringLower(ScalarMult(bobPrivate, alicePublic)).Should().Be(shared);
    }

    /// <summary>RFC 7748 X25519(k, u) as NSec exposes it: a key agreement whose raw shared secret is exported.</summary>
    private static byte[] ScalarMult(byte[] scalar, byte[] u)
    {
        var algorithm = KeyAgreementAlgorithm.X25519;
        using var key = Key.Import(algorithm, scalar, KeyBlobFormat.RawPrivateKey);
        var peer = PublicKey.Import(algorithm, u, KeyBlobFormat.RawPublicKey);
        var exportable = new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        using var secret = algorithm.Agree(key, peer, in exportable)
            ?? throw new InvalidOperationException("libsodium refused the agreement (all-zero result).");
        return secret.Export(SharedSecretBlobFormat.RawSharedSecret);
    }
}
