using System.Text.Json.Nodes;
using Raven.ApiServer;
using Raven.ApiServer.Tables;

namespace Raven.ApiServer.Tests;

/// <summary>additionalPrinterColumns evaluated as the apiextensions server evaluates them.</summary>
public class CustomResourceTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static TableLayout Layout(string columns) => CustomResourceTable.For(new ResourceType
    {
        Group = "raven.openyurt.io",
        Plural = "gateways",
        Singular = "gateway",
        Kind = "Gateway",
        Namespaced = false,
        Versions = ["v1beta1"],
        StorageVersion = "v1beta1",
        IsCustom = true,
        PrinterColumns = new Dictionary<string, JsonArray> { ["v1beta1"] = JsonNode.Parse(columns)!.AsArray() },
    }, "v1beta1")!;

    private static readonly JsonObject Gateway = JsonNode.Parse("""
        {"metadata":{"name":"gw-cloud","creationTimestamp":"2026-03-01T11:00:00Z"},
         "spec":{"exposeType":"PublicIP","proxyConfig":{"Replicas":2},"endpoints":[{"nodeName":"a","underNAT":false}]},
         "status":{"activeEndpoints":[{"nodeName":"a","type":"tunnel"},{"nodeName":"b","type":"proxy"},{"nodeName":"c","type":"proxy"}]}}
        """)!.AsObject();

    [Fact]
    public void Cells_take_the_first_value_the_path_selects_converted_to_the_column_type()
    {
        var layout = Layout("""
            [{"name":"Proxy","type":"string","jsonPath":".status.activeEndpoints[?(@.type==\"proxy\")].nodeName"},
             {"name":"Replicas","type":"integer","jsonPath":".spec.proxyConfig.Replicas"},
             {"name":"Ratio","type":"number","jsonPath":".spec.proxyConfig.Replicas"},
             {"name":"NAT","type":"boolean","jsonPath":".spec.endpoints[0].underNAT"},
             {"name":"Created","type":"date","jsonPath":".metadata.creationTimestamp"},
             {"name":"Endpoint","type":"string","jsonPath":".spec.endpoints[0]","priority":1},
             {"name":"Missing","type":"string","jsonPath":".status.activeEndpoint.nodeName"},
             {"name":"WrongType","type":"integer","jsonPath":".spec.exposeType"}]
            """);

        var cells = layout.Cells(Gateway, Now).Select(Describe).ToList();

        layout.Columns.Select(c => c.Name).Should().Equal("Name", "Proxy", "Replicas", "Ratio", "NAT", "Created", "Endpoint", "Missing", "WrongType");
        layout.Columns.Single(c => c.Name == "Endpoint").Priority.Should().Be(1);
        cells.Should().Equal("'gw-cloud'", "'b'", "2", "2", "false", "'60m'", """'{"nodeName":"a","underNAT":false}'""", null, null);
    }

    private static string? Describe(JsonNode? cell) => cell switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => $"'{v.GetValue<string>()}'",
        _ => cell.ToJsonString(),
    };

    [Fact]
    public void Only_the_declared_columns_are_shown()
    {
        Layout("""[{"name":"Expose","type":"string","jsonPath":".spec.exposeType"}]""").Columns.Select(c => c.Name).Should().Equal("Name", "Expose");
    }
}
