using System.Text.Json.Nodes;
using Raven.ApiServer.Tables;

namespace Raven.ApiServer.Tests;

public class JsonPathTests
{
    private static readonly JsonNode Gateway = JsonNode.Parse("""
        {"metadata":{"name":"gw-a","labels":{"kubernetes.io/role":"edge","app.kubernetes.io/name":"raven"}},
         "spec":{"exposeType":"PublicIP","endpoints":[{"nodeName":"n1","type":"proxy","port":10262},{"nodeName":"n2","type":"tunnel","port":4500}]},
         "status":{"activeEndpoints":[{"nodeName":"n2","type":"tunnel","port":4500},{"nodeName":"n1","type":"proxy","port":10262},{"nodeName":"n3","type":"proxy","port":10263}],
                   "conditions":[{"type":"TunnelElected","status":"True"},{"type":"Ready","status":"False","ready":false}]}}
        """)!;

    private static List<string> Select(string path) => JsonPath.Parse(path).Select(Gateway).Select(JsonPath.Print).ToList();

    [Theory]
    [InlineData(".spec.exposeType", "PublicIP")]
    [InlineData("{.spec.exposeType}", "PublicIP")]
    [InlineData("$.spec.exposeType", "PublicIP")]
    [InlineData("spec.exposeType", "PublicIP")]
    [InlineData(".spec.endpoints[1].nodeName", "n2")]
    [InlineData(".spec.endpoints[-1].nodeName", "n2")]
    [InlineData(".spec.endpoints[*].nodeName", "n1 n2")]
    [InlineData(".spec.endpoints.*.type", "proxy tunnel")]
    [InlineData(".status.activeEndpoints[0:2].nodeName", "n2 n1")]
    [InlineData(".status.activeEndpoints[0,2].nodeName", "n2 n3")]
    [InlineData(".status.activeEndpoints[::2].nodeName", "n2 n3")]
    [InlineData(".metadata.labels['kubernetes.io/role']", "edge")]
    [InlineData(".metadata.labels[\"app.kubernetes.io/name\"]", "raven")]
    [InlineData(@".metadata.labels.kubernetes\.io/role", "edge")]
    [InlineData("..nodeName", "n1 n2 n2 n1 n3")]
    [InlineData(".status.activeEndpoints[?(@.type==\"tunnel\")].nodeName", "n2")]
    [InlineData(".status.activeEndpoints[?(@.type == 'proxy')].nodeName", "n1 n3")]
    [InlineData(".status.activeEndpoints[?(@.type!=\"proxy\")].nodeName", "n2")]
    [InlineData(".status.activeEndpoints[?(@.port > 4500)].nodeName", "n1 n3")]
    [InlineData(".status.activeEndpoints[?(@.port<=10262)].nodeName", "n2 n1")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "False")]
    [InlineData(".status.conditions[?(@.ready)].type", "Ready")]
    [InlineData(".status.conditions[?(@.ready==false)].type", "Ready")]
    [InlineData(".spec.endpoints[0]", "{\"nodeName\":\"n1\",\"type\":\"proxy\",\"port\":10262}")]
    [InlineData(".spec.endpoints[0].port", "10262")]
    public void Selects_what_kubectl_selects(string path, string expected) =>
        string.Join(' ', Select(path)).Should().Be(expected);

    [Theory]
    [InlineData(".status.activeEndpoint.nodeName")]
    [InlineData(".spec.endpoints[5].nodeName")]
    [InlineData(".status.conditions[?(@.type==\"Gone\")].status")]
    [InlineData(".spec.exposeType.deeper")]
    public void A_missing_key_selects_nothing_instead_of_failing(string path) => Select(path).Should().BeEmpty();

    [Theory]
    [InlineData(".spec[", "missing ']'")]
    [InlineData(".status.activeEndpoints[?(@.type==tunnel)]", "neither a quoted string")]
    [InlineData(".status.activeEndpoints[?@.type]", "expected '('")]
    [InlineData(".status.activeEndpoints[?(.type)]", "must start with '@'")]
    [InlineData(".spec.endpoints[x]", "is not an array index")]
    [InlineData(".metadata.labels['a", "unterminated string")]
    public void Bad_syntax_is_an_error_that_names_the_problem(string path, string problem)
    {
        JsonPath.TryParse(path, out _, out var error).Should().BeFalse();
        error.Should().Contain(problem).And.Contain(path);
    }
}
