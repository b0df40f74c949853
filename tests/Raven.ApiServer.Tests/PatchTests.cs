using System.Text.Json.Nodes;
using Raven.ApiServer;

namespace Raven.ApiServer.Tests;

public class PatchTests
{
    private static JsonNode J(string json) => JsonNode.Parse(json)!;

    [Fact]
    public void Merge_patch_follows_rfc_7386()
    {
        var result = JsonMergePatch.Apply(J("""{"a":"b","c":{"d":"e","f":"g"},"l":[1,2]}"""), J("""{"a":"z","c":{"f":null},"l":[3]}"""));
        JsonNode.DeepEquals(result, J("""{"a":"z","c":{"d":"e"},"l":[3]}""")).Should().BeTrue(result!.ToJsonString());
    }

    [Fact]
    public void Json_patch_supports_every_operation()
    {
        var ops = J("""
            [{"op":"add","path":"/a/-","value":3},{"op":"replace","path":"/b","value":"x"},{"op":"remove","path":"/c"},
             {"op":"copy","from":"/b","path":"/d"},{"op":"move","from":"/d","path":"/e~1f"},{"op":"test","path":"/b","value":"x"}]
            """).AsArray();
        var result = JsonPatch.Apply(J("""{"a":[1,2],"b":"y","c":true}"""), ops);
        JsonNode.DeepEquals(result, J("""{"a":[1,2,3],"b":"x","e/f":"x"}""")).Should().BeTrue(result.ToJsonString());
    }

    [Fact]
    public void Json_patch_test_failure_is_rejected()
    {
        var act = () => JsonPatch.Apply(J("""{"a":1}"""), J("""[{"op":"test","path":"/a","value":2}]""").AsArray());
        act.Should().Throw<ApiException>().Which.Code.Should().Be(422);
    }

    [Fact]
    public void Strategic_patch_merges_keyed_lists_and_honours_directives()
    {
        var target = J("""
            {"metadata":{"finalizers":["a"]},
             "status":{"conditions":[{"type":"Ready","status":"False"},{"type":"Disk","status":"True"}],
                       "addresses":[{"type":"InternalIP","address":"10.0.0.1"}]},
             "spec":{"taints":[{"key":"k1","effect":"NoSchedule"}],"other":[1,2]}}
            """);
        var patch = J("""
            {"metadata":{"finalizers":["b"]},
             "status":{"$setElementOrder/conditions":[{"type":"Ready"},{"type":"Disk"}],
                       "conditions":[{"type":"Ready","status":"True"},{"type":"Disk","$patch":"delete"}],
                       "addresses":[{"type":"Hostname","address":"n1"}]},
             "spec":{"taints":[{"$patch":"replace"},{"key":"k2","effect":"NoExecute"}],"other":[3]}}
            """);
        var result = StrategicMergePatch.Apply(target, patch)!;
        JsonNode.DeepEquals(result, J("""
            {"metadata":{"finalizers":["a","b"]},
             "status":{"conditions":[{"type":"Ready","status":"True"}],
                       "addresses":[{"type":"InternalIP","address":"10.0.0.1"},{"type":"Hostname","address":"n1"}]},
             "spec":{"taints":[{"key":"k2","effect":"NoExecute"}],"other":[3]}}
            """)).Should().BeTrue(result.ToJsonString());
    }

    [Fact]
    public void Strategic_patch_deletes_from_primitive_lists_and_retains_keys()
    {
        var result = StrategicMergePatch.Apply(
            J("""{"metadata":{"finalizers":["a","b","c"]},"spec":{"x":1,"y":2}}"""),
            J("""{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]},"spec":{"$retainKeys":["x","z"],"z":3}}"""))!;
        JsonNode.DeepEquals(result, J("""{"metadata":{"finalizers":["a","c"]},"spec":{"x":1,"z":3}}""")).Should().BeTrue(result.ToJsonString());
    }
}
