using System.Text.Json.Nodes;
using Raven.Api.Json;
using Raven.Api.V1Beta1;

namespace Raven.Api.Tests.Json;

public class GatewayJsonTests
{
    [Fact]
    public void Replicas_is_written_with_a_capital_R_and_empty_configs_are_still_written()
    {
        var json = RavenJson.Serialize(new Gateway { Metadata = new() { Name = "gw" } });

        json.Should().Be("""{"apiVersion":"raven.openyurt.io/v1beta1","kind":"Gateway","metadata":{"name":"gw"},"spec":{"proxyConfig":{"Replicas":0},"tunnelConfig":{"Replicas":0}},"status":{}}""");
    }

    [Fact]
    public void Empty_endpoint_fields_are_omitted_like_go_omitempty_but_nodeName_and_type_stay()
    {
        var endpoint = new Endpoint { NodeName = "", Type = "", Config = [] };

        RavenJson.Serialize(endpoint).Should().Be("""{"nodeName":"","type":""}""");
    }

    [Fact]
    public void Status_node_info_always_writes_its_required_fields()
    {
        var status = new GatewayStatus { Nodes = [new NodeInfo { NodeName = "n1" }] };

        RavenJson.Serialize(status).Should().Be("""{"nodes":[{"nodeName":"n1","privateIP":"","subnets":[]}]}""");
    }

    [Fact]
    public void Timestamps_use_rfc3339_utc_seconds_and_unknown_metadata_survives()
    {
        const string input = """{"metadata":{"name":"gw","creationTimestamp":"2023-11-24T06:44:54Z","managedFields":[{"manager":"kubectl"}]}}""";

        var gateway = RavenJson.Deserialize<Gateway>(input);
        var output = JsonNode.Parse(RavenJson.Serialize(gateway))!;

        output["metadata"]!["creationTimestamp"]!.GetValue<string>().Should().Be("2023-11-24T06:44:54Z");
        output["metadata"]!["managedFields"]![0]!["manager"]!.GetValue<string>().Should().Be("kubectl");
    }

    [Fact]
    public void Field_names_are_case_sensitive()
    {
        var gateway = RavenJson.Deserialize<Gateway>("""{"spec":{"proxyConfig":{"replicas":3}}}""");

        gateway.Spec.ProxyConfig.Replicas.Should().Be(0, "only 'Replicas' is the field; 'replicas' is unknown");
    }
}
