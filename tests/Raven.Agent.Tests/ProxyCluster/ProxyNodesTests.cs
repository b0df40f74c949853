using System.Net;
using k8s;
using k8s.Models;
using Raven.Agent.Proxy.Cluster;
using Raven.Api;

namespace Raven.Agent.Tests.ProxyCluster;

public sealed class ProxyNodesTests
{
    [Fact]
    public void Reads_first_internal_ip_gateway_label_and_kubelet_port()
    {
        var node = new V1Node
        {
            Metadata = new() { Name = "edge-1", Labels = new Dictionary<string, string> { [WellKnown.GatewayLabel] = "gw-edge" } },
            Status = new V1NodeStatus
            {
                Addresses = [new() { Type = "Hostname", Address = "edge-1" }, new() { Type = "InternalIP", Address = "10.0.3.4" },
                    new() { Type = "InternalIP", Address = "10.0.3.5" }],
                DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = 10350 } },
            },
        };

        ProxyNodes.FromApi(node).Should().Be(new Raven.Agent.Proxy.Directory.ProxyNode("edge-1", IPAddress.Parse("10.0.3.4"), "gw-edge", 10350));
    }

    [Fact]
    public void Missing_pieces_give_nulls_and_the_default_kubelet_port()
    {
        var node = new V1Node { Metadata = new() { Name = "bare" } };

        ProxyNodes.FromApi(node).Should().Be(new Raven.Agent.Proxy.Directory.ProxyNode("bare", null, null, 10250));
    }

    [Fact]
    public void A_node_read_from_json_keeps_its_kubelet_port()
    {
        var node = KubernetesJson.Deserialize<V1Node>(
            "{\"metadata\":{\"name\":\"n\"},\"status\":{\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":11250}}}}");

        ProxyNodes.KubeletPort(node).Should().Be(11250);
    }
}
