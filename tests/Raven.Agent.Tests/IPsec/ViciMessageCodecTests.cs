using Raven.Agent.Tunnel.IPsec;

namespace Raven.Agent.Tests.IPsec;

public sealed class ViciMessageCodecTests
{
    // The encoding example of strongSwan's vici README: key1 = value1, section1 { sub-section { key2 = value2 }, list1 [item1, item2] }.
    private const string ReadmeExample =
        "03046b65793100067661 6c756531" +
        "0108 73656374696f6e31" +
        "010b 7375622d73656374696f6e" +
        "03046b65793200067661 6c756532" +
        "02" +
        "0405 6c69737431" +
        "050005 6974656d31" +
        "050005 6974656d32" +
        "06" +
        "02";

    private static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", "", StringComparison.Ordinal));

    [Fact]
    public void Encodes_the_readme_example_byte_for_byte()
    {
        var message = new ViciSection()
            .Add("key1", "value1")
            .Add("section1", new ViciSection()
                .Add("sub-section", new ViciSection().Add("key2", "value2"))
                .Add("list1", ["item1", "item2"]));

        ViciMessageCodec.Encode(message).Should().Equal(Hex(ReadmeExample));
    }

    [Fact]
    public void Decodes_the_readme_example_into_the_same_tree()
    {
        var message = ViciMessageCodec.Decode(Hex(ReadmeExample));

        message.Text("key1").Should().Be("value1");
        var section = message.Section("section1")!;
        section.Section("sub-section")!.Text("key2").Should().Be("value2");
        section.Texts("list1").Should().Equal("item1", "item2");
        section.Entries.Select(e => e.Key).Should().Equal("sub-section", "list1");
    }

    [Fact]
    public void Empty_lists_and_sections_and_values_survive_a_round_trip()
    {
        var message = new ViciSection().Add("owners", Array.Empty<string>()).Add("empty", new ViciSection()).Add("blank", "");

        var decoded = ViciMessageCodec.Decode(ViciMessageCodec.Encode(message));

        decoded.Texts("owners").Should().BeEmpty();
        decoded.Section("empty")!.Count.Should().Be(0);
        decoded.Text("blank").Should().BeEmpty();
        ViciMessageCodec.Encode(decoded).Should().Equal(ViciMessageCodec.Encode(message));
    }

    [Theory]
    [InlineData("0108 73656374696f6e31", "1 section(s) not closed")]
    [InlineData("02", "section end without a section")]
    [InlineData("0405 6c69737431 050005 6974656d31", "list \"list1\" is not closed")]
    [InlineData("0405 6c69737431 0104 61626364", "inside list \"list1\"")]
    [InlineData("050001 61", "list item outside a list")]
    [InlineData("06", "list end outside a list")]
    [InlineData("0301 61 0005 6162", "value of 5 bytes does not fit")]
    [InlineData("0309 61", "name of 9 bytes does not fit")]
    [InlineData("0300", "name of 0 bytes does not fit")]
    [InlineData("0301 61 000162 0301 61 000163", "duplicate key \"a\"")]
    [InlineData("09", "unknown element type 9")]
    public void Malformed_messages_are_rejected_naming_the_problem(string hex, string problem)
    {
        var decode = () => ViciMessageCodec.Decode(Hex(hex));

        decode.Should().Throw<FormatException>().WithMessage($"*{problem}*");
    }

    [Fact]
    public void Names_and_values_that_do_not_fit_the_length_fields_are_refused()
    {
        var longName = () => new ViciSection().Add(new string('k', 256), "v");
        var longValue = () => new ViciValue(new byte[65536]);
        var duplicate = () => new ViciSection().Add("a", "1").Add("a", "2");

        longName.Should().Throw<ArgumentException>().WithMessage("*1-255 printable ASCII*");
        longValue.Should().Throw<ArgumentException>().WithMessage("*at most 65535 bytes*");
        duplicate.Should().Throw<ArgumentException>().WithMessage("*already has a key \"a\"*");
    }

    [Fact]
    public void Accessors_refuse_a_key_of_another_kind()
    {
        var message = new ViciSection().Add("value", "x").Add("list", ["y"]);

        ((Action)(() => message.Texts("value"))).Should().Throw<FormatException>().WithMessage("*\"value\" is not a list*");
        ((Action)(() => message.Section("list"))).Should().Throw<FormatException>().WithMessage("*\"list\" is not a section*");
        ((Action)(() => message.Text("list"))).Should().Throw<FormatException>().WithMessage("*\"list\" is not a value*");
        message.Text("absent").Should().BeNull();
        message.Texts("absent").Should().BeEmpty();
    }
}
