using Raven.Api.Net;

namespace Raven.Api.Tests.Net;

public class CidrTests
{
    private static Cidr C(string text) => Cidr.Parse(text);

    private static System.Net.IPAddress Ip(string text) => System.Net.IPAddress.Parse(text);

    [Theory]
    [InlineData("10.0.0.0/24", "10.0.0.0/24")]
    [InlineData("10.0.0.5/24", "10.0.0.0/24")]
    [InlineData(" 192.168.1.1/32 ", "192.168.1.1/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("fd00::1/64", "fd00::/64")]
    public void Parse_normalises_to_the_network(string text, string expected) =>
        Cidr.Parse(text).ToString().Should().Be(expected);

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0/24")]
    [InlineData("fd00::/129")]
    [InlineData("banana/8")]
    public void TryParse_rejects_malformed_text_with_a_reason(string text)
    {
        Cidr.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Contain(text.Trim().Length == 0 ? "not a CIDR" : text);
    }

    [Fact]
    public void Contains_respects_prefix_and_family()
    {
        C("10.0.0.0/16").Contains(C("10.0.3.0/24")).Should().BeTrue();
        C("10.0.3.0/24").Contains(C("10.0.0.0/16")).Should().BeFalse();
        C("10.0.0.0/16").Contains(Ip("10.0.255.255")).Should().BeTrue();
        C("10.0.0.0/16").Contains(Ip("10.1.0.0")).Should().BeFalse();
        C("0.0.0.0/0").Contains(C("::/0")).Should().BeFalse();
    }

    [Fact]
    public void Merge_joins_adjacent_halves_and_drops_contained_and_duplicate_prefixes()
    {
        var merged = CidrMath.Merge([C("10.0.0.128/25"), C("10.0.0.0/25"), C("10.0.0.7/32"), C("10.0.0.0/24"), C("10.0.0.0/25")]);

        merged.Select(c => c.ToString()).Should().Equal("10.0.0.0/24");
    }

    [Fact]
    public void Merge_keeps_unaligned_neighbours_as_the_fewest_aligned_prefixes()
    {
        var merged = CidrMath.Merge([C("10.0.1.0/24"), C("10.0.2.0/24"), C("10.0.3.0/24")]);

        merged.Select(c => c.ToString()).Should().Equal("10.0.1.0/24", "10.0.2.0/23");
    }

    [Fact]
    public void Merge_joins_overlapping_prefixes_and_sorts_IPv4_before_IPv6()
    {
        var merged = CidrMath.Merge([C("fd00::/65"), C("10.1.0.0/16"), C("fd00::8000:0:0:0/65"), C("10.0.0.0/15"), C("192.168.0.0/16")]);

        merged.Select(c => c.ToString()).Should().Equal("10.0.0.0/15", "192.168.0.0/16", "fd00::/64");
    }

    [Fact]
    public void Merge_handles_the_whole_address_space()
    {
        CidrMath.Merge([C("0.0.0.0/1"), C("128.0.0.0/1"), C("255.255.255.255/32")])
            .Select(c => c.ToString()).Should().Equal("0.0.0.0/0");
        CidrMath.Merge([C("::/0"), C("::1/128")]).Select(c => c.ToString()).Should().Equal("::/0");
    }

    [Fact]
    public void Merge_of_nothing_is_empty() => CidrMath.Merge([]).Should().BeEmpty();

    [Fact]
    public void Sort_orders_by_family_then_address_then_prefix()
    {
        var sorted = CidrMath.Sort([C("fd00::/8"), C("10.0.0.0/24"), C("10.0.0.0/16"), C("9.0.0.0/8"), C("10.0.0.0/16")]);

        sorted.Select(c => c.ToString()).Should().Equal("9.0.0.0/8", "10.0.0.0/16", "10.0.0.0/24", "fd00::/8");
    }

    [Fact]
    public void Exclude_cuts_holes_into_the_fewest_prefixes()
    {
        var rest = CidrMath.Exclude([C("10.0.0.0/24"), C("fd00::/126")], [C("10.0.0.0/26"), C("10.0.0.200/32"), C("fd00::3/128")]);

        rest.Select(c => c.ToString()).Should().Equal(
            "10.0.0.64/26", "10.0.0.128/26", "10.0.0.192/29", "10.0.0.201/32", "10.0.0.202/31", "10.0.0.204/30",
            "10.0.0.208/28", "10.0.0.224/27", "fd00::/127", "fd00::2/128");
    }

    [Fact]
    public void Exclude_of_a_covering_hole_leaves_nothing_and_unrelated_holes_change_nothing()
    {
        CidrMath.Exclude([C("10.0.0.0/24")], [C("10.0.0.0/8")]).Should().BeEmpty();
        CidrMath.Exclude([C("10.0.0.0/24")], [C("11.0.0.0/8"), C("::/0")]).Should().Equal(C("10.0.0.0/24"));
    }
}
