using System.Net;
using System.Text.Json;
using Raven.Agent.Proxy.Cluster;
using Raven.Api;
using Raven.Kube.Models;

namespace Raven.Agent.Tests.ProxyCluster;

public sealed class ProxyNodesTests
{
    [Fact]
    public void Reads_first_internal_ip_gateway_label_and_kubelet_port()
    {
        var node = new Node
        {
            Metadata = new() { Name = "edge-1", Labels = new() { [WellKnown.GatewayLabel] = "gw-edge" } },
            Status = new NodeStatus
            {
                Addresses = [new() { Type = "Hostname", Address = "edge-1" }, new() { Type = "InternalIP", Address = "10.0.3.4" },
                    new() { Type = "InternalIP", Address = "10.0.3.5" }],
                Extra = new() { ["daemonEndpoints"] = JsonDocument.Parse("{\"kubeletEndpoint\":{\"Port\":10350}}").RootElement },
            },
        };

        ProxyNodes.FromApi(node).Should().Be(new Raven.Agent.Proxy.Directory.ProxyNode("edge-1", IPAddress.Parse("10.0.3.4"), "gw-edge", 10350));
    }

    [Fact]
    public void Missing_pieces_give_nulls_and_the_default_kubelet_port()
    {
        var node = new Node { Metadata = new() { Name = "bare" } };

        ProxyNodes.FromApi(node).Should().Be(new Raven.Agent.Proxy.Directory.ProxyNode("bare", null, null, 10250));
    }

    [Fact]
    public void A_node_read_from_json_keeps_its_kubelet_port()
    {
        var node = Raven.Api.Json.RavenJson.Deserialize<Node>(
            "{\"metadata\":{\"name\":\"n\"},\"status\":{\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":11250}}}}");

        ProxyNodes.KubeletPort(node).Should().Be(11250);
    }
}
