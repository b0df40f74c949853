using System.Text.Json.Nodes;
using Raven.Controller.Webhooks;

namespace Raven.Controller.Tests.Webhooks;

public class JsonPatchDiffTests
{
    [Fact]
    public void Produces_add_replace_and_remove_with_escaped_pointers()
    {
        var from = JsonNode.Parse("""{"a":1,"b":{"x/y":"old","gone":true},"list":[1,2]}""");
        var to = JsonNode.Parse("""{"a":2,"b":{"x/y":"new","t~":0},"list":[1,3]}""");

        var patch = JsonPatchDiff.Diff(from, to);

        patch.Select(op => op!.ToJsonString()).Should().Equal(
            """{"op":"replace","path":"/a","value":2}""",
            """{"op":"replace","path":"/b/x~1y","value":"new"}""",
            """{"op":"remove","path":"/b/gone"}""",
            """{"op":"add","path":"/b/t~0","value":0}""",
            """{"op":"replace","path":"/list/1","value":3}""");
    }

    [Fact]
    public void Arrays_of_different_length_are_replaced_whole()
    {
        var patch = JsonPatchDiff.Diff(JsonNode.Parse("""{"l":[1]}"""), JsonNode.Parse("""{"l":[1,2]}"""));

        patch.Select(op => op!.ToJsonString()).Should().Equal("""{"op":"replace","path":"/l","value":[1,2]}""");
    }

    [Fact]
    public void Equal_documents_need_no_operations()
    {
        JsonPatchDiff.Diff(JsonNode.Parse("""{"a":[{"b":null}]}"""), JsonNode.Parse("""{"a":[{"b":null}]}""")).Should().BeEmpty();
    }
}
