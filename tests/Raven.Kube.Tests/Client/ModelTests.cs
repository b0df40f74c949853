using System.Text.Json;
using Raven.Api.Json;
using Raven.Kube.Models;

namespace Raven.Kube.Tests.Client;

public sealed class ModelTests
{
    [Fact]
    public void Lease_times_are_micro_time_and_zero_counts_are_kept()
    {
        var lease = new Lease
        {
            Metadata = { Name = "l", Namespace = "kube-system" },
            Spec =
            {
                HolderIdentity = "a",
                LeaseDurationSeconds = 15,
                AcquireTime = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567),
                RenewTime = new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero),
                LeaseTransitions = 0,
            },
        };

        var json = RavenJson.Serialize(lease);

        json.Should().Contain("\"acquireTime\":\"2026-01-02T03:04:05.123456Z\"")
            .And.Contain("\"renewTime\":\"2026-01-02T03:04:06.000000Z\"")
            .And.Contain("\"leaseTransitions\":0");
        RavenJson.Deserialize<Lease>(json).Spec.RenewTime.Should().Be(lease.Spec.RenewTime);
        RavenJson.Serialize(new Lease()).Should().NotContain("holderIdentity").And.NotContain("renewTime");
    }

    [Fact]
    public void Unknown_node_fields_survive_a_read_modify_write()
    {
        const string json = """
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1","labels":{"raven.openyurt.io/gateway":"gw-a"},"managedFields":[{"manager":"kubelet"}]},
             "spec":{"podCIDR":"10.244.1.0/24","podCIDRs":["10.244.1.0/24","fd00:1::/64"],"taints":[{"key":"k","effect":"NoSchedule"}]},
             "status":{"addresses":[{"type":"InternalIP","address":"192.0.2.10"},{"type":"Hostname","address":"n1"}],
                       "conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"2026-01-02T03:04:05Z"}],
                       "nodeInfo":{"kubeletVersion":"v1.30.0"}}}
            """;

        var node = RavenJson.Deserialize<Node>(json);
        node.Metadata.Labels!["raven.openyurt.io/gateway"] = "gw-b";
        var written = JsonDocument.Parse(RavenJson.Serialize(node)).RootElement;

        node.IsReady.Should().BeTrue();
        node.Address(Node.AddressInternalIP).Should().Be("192.0.2.10");
        node.Spec.PodCIDRs.Should().Equal("10.244.1.0/24", "fd00:1::/64");
        written.GetProperty("spec").GetProperty("taints")[0].GetProperty("key").GetString().Should().Be("k");
        written.GetProperty("status").GetProperty("nodeInfo").GetProperty("kubeletVersion").GetString().Should().Be("v1.30.0");
        written.GetProperty("metadata").GetProperty("managedFields")[0].GetProperty("manager").GetString().Should().Be("kubelet");
        written.GetProperty("metadata").GetProperty("labels").GetProperty("raven.openyurt.io/gateway").GetString().Should().Be("gw-b");
    }

    [Fact]
    public void Services_keep_int_or_string_target_ports_and_load_balancer_ingress()
    {
        const string json = """
            {"metadata":{"name":"x-raven-proxy-internal-svc","namespace":"kube-system"},
             "spec":{"type":"LoadBalancer","clusterIP":"10.96.0.10","externalTrafficPolicy":"Local",
                     "ports":[{"name":"http-10255","port":10255,"targetPort":10264,"protocol":"TCP"},{"name":"named","port":80,"targetPort":"web"}]},
             "status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.7"}]}}}
            """;

        var service = RavenJson.Deserialize<Service>(json);
        var written = RavenJson.Serialize(service);

        service.Spec.Ports![0].TargetPort!.Value.GetInt32().Should().Be(10264);
        service.Spec.Ports[1].TargetPort!.Value.GetString().Should().Be("web");
        service.Status!.LoadBalancer!.Ingress![0].IP.Should().Be("203.0.113.7");
        service.Spec.ExternalTrafficPolicy.Should().Be("Local");
        written.Should().Contain("\"targetPort\":10264").And.Contain("\"targetPort\":\"web\"");
    }

    [Fact]
    public void Csr_request_and_certificate_are_base64_on_the_wire()
    {
        const string json = """
            {"metadata":{"name":"csr-1"},"spec":{"request":"UEVN","signerName":"kubernetes.io/kube-apiserver-client","usages":["client auth"],"username":"u","groups":["system:authenticated"]},
             "status":{"conditions":[{"type":"Approved","status":"True","reason":"AutoApproved"}],"certificate":"Q0VSVA=="}}
            """;

        var csr = RavenJson.Deserialize<CertificateSigningRequest>(json);

        csr.Spec.Request.Should().Equal("PEM"u8.ToArray());
        csr.Status!.Certificate.Should().Equal("CERT"u8.ToArray());
        csr.HasCondition(CertificateSigningRequest.ConditionApproved).Should().BeTrue();
        csr.HasCondition(CertificateSigningRequest.ConditionDenied).Should().BeFalse();
        csr.Spec.Groups.Should().Equal("system:authenticated");
    }

    [Fact]
    public void Block_affinities_and_endpoint_slices_decode()
    {
        var affinity = RavenJson.Deserialize<BlockAffinity>(
            """{"apiVersion":"crd.projectcalico.org/v1","kind":"BlockAffinity","metadata":{"name":"n1-10-244-1-0-26"},"spec":{"cidr":"10.244.1.0/26","node":"n1","state":"confirmed","deleted":"false"}}""");
        var slice = RavenJson.Deserialize<EndpointSlice>(
            """{"metadata":{"name":"s","labels":{"kubernetes.io/service-name":"svc"}},"addressType":"IPv4","endpoints":[{"addresses":["10.244.1.5"],"conditions":{"ready":true},"nodeName":"n1"}],"ports":[{"port":443,"name":"https"}]}""");

        affinity.Spec.Cidr.Should().Be("10.244.1.0/26");
        affinity.Spec.State.Should().Be(BlockAffinity.StateConfirmed);
        RavenJson.Serialize(affinity).Should().Contain("\"deleted\":\"false\"");
        slice.Endpoints[0].Conditions!.Ready.Should().BeTrue();
        slice.Metadata.Label(EndpointSlice.ServiceNameLabel).Should().Be("svc");
    }

    [Fact]
    public void Secrets_hold_bytes_and_pods_expose_node_and_ip()
    {
        var secret = RavenJson.Deserialize<Secret>("""{"metadata":{"name":"s"},"type":"Opaque","data":{"psk":"c2VjcmV0"}}""");
        var pod = RavenJson.Deserialize<Pod>("""{"metadata":{"name":"p"},"spec":{"nodeName":"n1","containers":[{"name":"c"}]},"status":{"podIP":"10.244.1.9"}}""");

        secret.Data!["psk"].Should().Equal("secret"u8.ToArray());
        pod.Spec.NodeName.Should().Be("n1");
        pod.Status!.PodIP.Should().Be("10.244.1.9");
        RavenJson.Serialize(pod).Should().Contain("\"containers\":[{\"name\":\"c\"}]");
    }
}
