using System.Net;
using Raven.Agent.Proxy.Certificates;
using Raven.Agent.Proxy.Cluster;
using k8s.Models;

namespace Raven.Agent.Tests.ProxyCluster;

public sealed class ProxyServerSansTests
{
    [Fact]
    public void Server_sans_cover_node_loopback_public_service_and_extra_addresses()
    {
        var service = new V1Service
        {
            Metadata = new() { Name = "x-raven-proxy-internal-svc", NamespaceProperty = "kube-system" },
            Spec = new V1ServiceSpec { ClusterIP = "10.96.0.50", ClusterIPs = ["10.96.0.50"] },
        };

        var sans = ProxyServerSans.Compute("cloud-1", IPAddress.Parse("192.168.0.5"),
            [IPAddress.Parse("203.0.113.10"), IPAddress.Parse("203.0.113.10")], service,
            [IPAddress.Parse("198.51.100.7")], ["Proxy.Example.Test"]);

        sans.Ips.Select(ip => ip.ToString()).Should().Equal("10.96.0.50", "127.0.0.1", "192.168.0.5", "198.51.100.7", "203.0.113.10");
        sans.DnsNames.Should().Equal("cloud-1", "proxy.example.test", "x-raven-proxy-internal-svc", "x-raven-proxy-internal-svc.kube-system",
            "x-raven-proxy-internal-svc.kube-system.svc", "x-raven-proxy-internal-svc.kube-system.svc.cluster.local");
    }

    [Fact]
    public void Without_service_or_node_ip_only_loopback_and_the_node_name_remain()
    {
        var sans = ProxyServerSans.Compute("cloud-1", null, [], null, [], []);

        sans.ToString().Should().Be("IP:127.0.0.1, DNS:cloud-1");
    }

    [Fact]
    public void Sans_compare_by_value_regardless_of_order_and_duplicates()
    {
        var a = new CertificateSans([IPAddress.Parse("203.0.113.1"), IPAddress.Loopback], ["b", "a"]);
        var b = new CertificateSans([IPAddress.Loopback, IPAddress.Parse("::ffff:203.0.113.1"), IPAddress.Loopback], ["A", "b"]);

        a.Should().Be(b);
        a.Should().NotBe(new CertificateSans([IPAddress.Loopback], ["a", "b"]));
    }

    [Fact]
    public void A_changed_public_ip_changes_the_sans()
    {
        var before = ProxyServerSans.Compute("cloud-1", null, [IPAddress.Parse("203.0.113.10")], null, [], []);
        var after = ProxyServerSans.Compute("cloud-1", null, [IPAddress.Parse("203.0.113.12")], null, [], []);

        before.Should().NotBe(after);
    }

    [Fact]
    public void Client_sans_carry_the_node_name_and_ip()
    {
        ProxyServerSans.ForClient("edge-1", IPAddress.Parse("10.0.3.4")).ToString().Should().Be("IP:10.0.3.4, DNS:edge-1");
    }
}
