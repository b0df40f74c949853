using System.Text.Json.Nodes;
using Raven.ApiServer;

namespace Raven.ApiServer.Tests;

public class SelectorAndSchemaTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "edge" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web,tier=edge", true)]
    [InlineData("app!=web", false)]
    [InlineData("app in (db, web)", true)]
    [InlineData("app notin (web)", false)]
    [InlineData("tier", true)]
    [InlineData("!tier", false)]
    [InlineData("!missing", true)]
    [InlineData("missing!=x", true)]
    public void Label_selector_matches_like_kubernetes(string selector, bool expected) =>
        LabelSelector.Parse(selector).Matches(Labels).Should().Be(expected);

    [Theory]
    [InlineData("app in (web")]
    [InlineData("app foo (web)")]
    [InlineData("=web")]
    [InlineData("a b=c")]
    public void Bad_label_selectors_are_400(string selector) =>
        FluentActions.Invoking(() => LabelSelector.Parse(selector)).Should().Throw<ApiException>().Which.Code.Should().Be(400);

    [Fact]
    public void Pruning_follows_properties_items_additional_properties_and_preserve_unknown_fields()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{
              "spec":{"type":"object","properties":{
                "list":{"type":"array","items":{"type":"object","properties":{"keep":{"type":"string"}}}},
                "map":{"type":"object","additionalProperties":{"type":"object","properties":{"v":{"type":"integer"}}}},
                "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
                "embedded":{"type":"object","x-kubernetes-embedded-resource":true,"properties":{}}}}}}
            """)!.AsObject();
        var obj = JsonNode.Parse("""
            {"apiVersion":"a/v1","kind":"K","metadata":{"name":"n","labels":{"x":"y"}},"top":1,
             "spec":{"list":[{"keep":"k","drop":1}],"map":{"m1":{"v":1,"w":2}},"free":{"any":{"thing":1}},
                     "embedded":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"other":1},"gone":true}}
            """)!.AsObject();
        SchemaPruner.Prune(obj, schema);
        JsonNode.DeepEquals(obj, JsonNode.Parse("""
            {"apiVersion":"a/v1","kind":"K","metadata":{"name":"n","labels":{"x":"y"}},
             "spec":{"list":[{"keep":"k"}],"map":{"m1":{"v":1}},"free":{"any":{"thing":1}},
                     "embedded":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}}}
            """)).Should().BeTrue(obj.ToJsonString());
    }

    [Fact]
    public void Schema_validation_names_the_field_path()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{"spec":{"type":"object","required":["name"],"properties":{
              "name":{"type":"string"},
              "items":{"type":"array","items":{"type":"object","properties":{"port":{"type":"integer","minimum":1,"maximum":65535}}}},
              "mode":{"type":"string","enum":["a","b"]}}}}}
            """)!.AsObject();
        var obj = JsonNode.Parse("""{"spec":{"items":[{"port":80},{"port":70000}],"mode":"c"}}""")!.AsObject();
        SchemaValidator.Validate(obj, schema).Select(e => e.Field).Should().BeEquivalentTo(["spec.items[1].port", "spec.mode", "spec.name"]);
    }
}
