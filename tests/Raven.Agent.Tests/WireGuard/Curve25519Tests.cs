using Raven.Agent.Tunnel.WireGuard;

namespace Raven.Agent.Tests.WireGuard;

public class Curve25519Tests
{
    [Theory]
    // RFC 7748 §5.2 test vectors.
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
        var result = Curve25519.ScalarMult(Convert.FromHexString(scalar), Convert.FromHexString(u));

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
            var next = Curve25519.ScalarMult(k, u);
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

        var alicePublic = Curve25519.PublicKey(alicePrivate);
        var bobPublic = Curve25519.PublicKey(bobPrivate);

        Convert.ToHexStringLower(alicePublic).Should().Be("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        Convert.ToHexStringLower(bobPublic).Should().Be("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        const string shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        Convert.ToHexStringLower(Curve25519.ScalarMult(alicePrivate, bobPublic)).Should().Be(shared);
        Convert.ToHexStringLower(Curve25519.ScalarMult(bobPrivate, alicePublic)).Should().Be(shared);
    }

    [Fact]
    public void Rejects_inputs_that_are_not_32_bytes()
    {
        var act = () => Curve25519.ScalarMult(new byte[31], new byte[32]);

        act.Should().Throw<ArgumentException>().WithMessage("*32 bytes, got 31*");
    }

    [Fact]
    public void Matches_the_reference_implementation_on_random_inputs()
    {
        var random = new Random(7748);
        for (var i = 0; i < 64; i++)
        {
            var scalar = new byte[32];
            var u = new byte[32];
            random.NextBytes(scalar);
            random.NextBytes(u);

            Curve25519.ScalarMult(scalar, u).Should().Equal(ReferenceX25519.ScalarMult(scalar, u), $"scalar {Convert.ToHexString(scalar)}, u {Convert.ToHexString(u)}");
        }
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // p: non-canonical zero
    [InlineData("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // p + 1: non-canonical one
    [InlineData("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // p - 1
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")] // top bit set: masked
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")]
    public void Edge_case_u_coordinates_match_the_reference(string u)
    {
        var scalar = Convert.FromHexString("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
        var point = Convert.FromHexString(u);

        Curve25519.ScalarMult(scalar, point).Should().Equal(ReferenceX25519.ScalarMult(scalar, point));
    }
}
