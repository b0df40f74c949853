using System.Text.Json.Nodes;
using Raven.Api.Manifests;

namespace Raven.Api.Tests.Manifests;

public class YamlStreamReaderTests
{
    [Fact]
    public void Empty_and_comment_only_documents_have_no_root()
    {
        var documents = YamlStreamReader.Read("---\n# only a comment\n---\n---\na: 1\n");

        documents.Select(d => d.Root is null).Should().Equal(true, true, false);
        documents[2].Index.Should().Be(3);
    }

    [Fact]
    public void Plain_scalars_resolve_like_kubernetes_and_quoted_ones_stay_strings()
    {
        var root = YamlStreamReader.Read("a: 1\nb: \"1\"\nc: true\nd: 'yes'\ne: yes\nf: ~\ng: 1.5\nh: 10255,9445\ni: 0x1F\n").Single().Root!;

        root.ToJsonString().Should().Be("""{"a":1,"b":"1","c":true,"d":"yes","e":true,"f":null,"g":1.5,"h":"10255,9445","i":31}""");
    }

    [Fact]
    public void Anchors_aliases_and_merge_keys_are_resolved()
    {
        const string yaml = "base: &ep\n  underNAT: true\n  port: 4500\nfirst:\n  <<: *ep\n  port: 10262\nsecond: *ep\n";

        var root = YamlStreamReader.Read(yaml).Single().Root!;

        root["first"]!.ToJsonString().Should().Be("""{"port":10262,"underNAT":true}""");
        root["second"]!.ToJsonString().Should().Be("""{"underNAT":true,"port":4500}""");
    }

    [Fact]
    public void A_repeated_key_with_the_same_value_is_a_warning()
    {
        var document = YamlStreamReader.Read("a: 1\nb: 2\na: 1\n").Single();

        document.HasErrors.Should().BeFalse();
        document.Problems.Should().ContainSingle(p => p.Severity == ProblemSeverity.Warning && p.Line == 3 && p.Message.Contains("line 1"));
    }

    [Fact]
    public void A_repeated_key_with_another_value_is_an_error_naming_both_lines()
    {
        var document = YamlStreamReader.Read("x:\n  a: true\n  b: 2\n  a: false\n").Single();

        document.Problems.Should().ContainSingle(p => p.Severity == ProblemSeverity.Error && p.Line == 4 && p.Message.Contains("lines 2 and 4"));
    }

    [Fact]
    public void Lines_are_recorded_per_field_path()
    {
        var document = YamlStreamReader.Read("spec:\n  endpoints:\n  - nodeName: a\n  - nodeName: b\n    publicIP: x\n").Single();

        document.LineOf("spec.endpoints[1].publicIP").Should().Be(5);
        document.LineOf("spec.endpoints[1]").Should().Be(4);
        document.LineOf("spec.endpoints[1].missing").Should().Be(4, "an absent field is located at its parent");
    }

    [Fact]
    public void Json_input_is_read_like_yaml()
    {
        var root = YamlStreamReader.Read("""{"kind": "Gateway", "spec": {"endpoints": [{"port": 4500}]}}""").Single().Root!;

        root["spec"]!["endpoints"]![0]!["port"]!.GetValue<long>().Should().Be(4500);
    }

    [Fact]
    public void Broken_yaml_is_an_error_with_its_line()
    {
        var documents = YamlStreamReader.Read("a: 1\nb: [unclosed\nc: 2\n");

        documents.Last().Problems.Should().ContainSingle(p => p.Severity == ProblemSeverity.Error && p.Line >= 2 && p.Message.StartsWith("not valid YAML", StringComparison.Ordinal));
    }

    [Fact]
    public void Alias_to_an_unknown_anchor_is_an_error()
    {
        var documents = YamlStreamReader.Read("a: *nowhere\n");

        documents.Single().HasErrors.Should().BeTrue();
    }

    [Fact]
    public void Writer_output_reads_back_to_the_same_json()
    {
        var original = JsonNode.Parse("""{"s":"true","n":"1","p":"10255,9445","e":"","c":"a: b","x":{"l":[1,"two",false,null],"empty":{}}}""");

        var back = YamlStreamReader.Read(YamlWriter.Write(original)).Single().Root;

        JsonNode.DeepEquals(back, original).Should().BeTrue(YamlWriter.Write(original));
    }
}
