using System.Net;
using Raven.Agent.Engine;
using Raven.Agent.Proxy.Cluster;
using Raven.Agent.Tests.Proxy;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Kube.Client;
using Raven.Kube.Observability;
using Raven.TestSupport;
using k8s;

namespace Raven.Agent.Tests.ProxyCluster;

/// <summary>Two ProxyHosts against the embedded API server and the real controller, over loopback.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProxyHostIntegrationTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private ProxyTestCluster _cluster = null!;
    private FakeKubelet _kubelet = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ProxyTestCluster.StartAsync();
        _kubelet = await FakeKubelet.StartAsync("edge-1-kubelet", IPAddress.Parse("127.0.0.3"), 0);
    }

    public async Task DisposeAsync()
    {
        await _kubelet.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Certificates_are_issued_through_csrs_and_the_cloud_front_end_reaches_the_edge_kubelet_through_the_tunnel()
    {
        var tunnelPort = ProxyTestCluster.FreePort();
        await _cluster.SetL7Async(true);
        await _cluster.AddNodeAsync("cloud-1", "gw-cloud", "127.0.0.1", 10250);
        await _cluster.AddNodeAsync("edge-1", "gw-edge", "127.0.0.3", _kubelet.Port);
        await _cluster.AddGatewayAsync("gw-cloud", WellKnown.ExposeTypePublicIP,
            new Endpoint { NodeName = "cloud-1", Type = WellKnown.EndpointTypeProxy, PublicIP = "127.0.0.1", Port = tunnelPort });
        await _cluster.AddGatewayAsync("gw-edge", null, new Endpoint { NodeName = "edge-1", Type = WellKnown.EndpointTypeProxy });
        _cluster.StartController();

        // The cloud agent's metrics as `raven agent` wires them: the proxy's series in the agent's registry.
        var cloudMetrics = new AgentMetrics();
        var cloudProxyMetrics = new AgentProxyMetrics(cloudMetrics.Registry);
        await using var cloudProbes = await ProbeServer.StartAsync("127.0.0.1:0", () => null, cloudMetrics.Registry, CancellationToken.None);
        await using var cloud = _cluster.NewHost("cloud-1", new IPEndPoint(IPAddress.Loopback, tunnelPort), dialObserved: cloudProxyMetrics.ObserveDial,
            requestObserved: cloudProxyMetrics.ObserveRequest);
        await using var edge = _cluster.NewHost("edge-1");
        await cloud.StartAsync();
        await edge.StartAsync();

        await Poll.UntilAsync(() => cloud.Status.ClientsConnected.Contains("edge-1") && edge.Status.ServersConnected.Count > 0,
            "edge-1 and cloud-1 both see the tunnel up", Deadline);

        cloud.Status.Should().Match<ProxyHostStatus>(s => s.Role == "client+server" && s.LocalGateway == "gw-cloud" && s.ServerRunning);
        edge.Status.Should().Match<ProxyHostStatus>(s => s.Role == "client" && s.LocalGateway == "gw-edge" && !s.ServerRunning);
        edge.Status.ServersConnected.Should().Equal($"127.0.0.1:{tunnelPort}");

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{cloud.Status.InsecureEndPoint}/metrics?nodeName=edge-1&x=1");
        request.Headers.Host = $"edge-1:{_kubelet.Port}";
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        body.Should().Be($"edge-1-kubelet GET /metrics?x=1 host=127.0.0.3:{_kubelet.Port} client=none");
        using var unknown = new HttpRequestMessage(HttpMethod.Get, $"http://{cloud.Status.InsecureEndPoint}/metrics");
        unknown.Headers.Host = $"no-such-node:{_kubelet.Port}";
        using var refused = await http.SendAsync(unknown);
        refused.IsSuccessStatusCode.Should().BeFalse("no node of that name exists");

        cloudProxyMetrics.Update(cloud.Status);
        var samples = PrometheusText.Parse(await http.GetStringAsync(new Uri(new Uri(cloudProbes.Url), "/metrics")));
        samples.Should().ContainSingle(s => s.Name == "raven_agent_proxy_dial_duration_seconds_count"
            && s.Labels["path"] == "tunnel" && s.Labels["result"] == "connected").Which.Value.Should().Be(1, "one request, one dial through the tunnel");
        samples.Should().ContainSingle(s => s.Name == "raven_agent_proxy_requests_total" && s.Labels["route"] == "tunnel")
            .Which.Should().Match<PrometheusText.Sample>(s => s.Labels["code"] == "200" && s.Value == 1, "the kubelet request went through the tunnel and got 200");
        samples.Should().ContainSingle(s => s.Name == "raven_agent_proxy_requests_total" && s.Labels["route"] == "refused")
            .Which.Labels["code"].Should().Be(((int)refused.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        samples.Should().ContainSingle(s => s.Name == "raven_agent_proxy_request_duration_seconds_count" && s.Labels["route"] == "tunnel").Which.Value.Should().Be(1);
        samples.Should().ContainSingle(s => s.Name == "raven_agent_proxy_client_connected").Which.Labels["node"].Should().Be("edge-1");
        samples.Should().ContainSingle(s => s.Name == "raven_agent_proxy_role").Which.Labels["role"].Should().Be("client+server");
    }

    [Fact]
    public async Task The_https_front_end_admits_a_cluster_ca_client_and_reaches_the_kubelet_as_tunnel_proxy_client()
    {
        using var kubeletKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var kubeletCertificate = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=edge-1", kubeletKey,
            System.Security.Cryptography.HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
        await using var tlsKubelet = await FakeKubelet.StartAsync("edge-1-tls-kubelet", IPAddress.Parse("127.0.0.3"), 0, kubeletCertificate);
        var tunnelPort = ProxyTestCluster.FreePort();
        await _cluster.SetL7Async(true);
        await _cluster.AddNodeAsync("cloud-1", "gw-cloud", "127.0.0.1", 10250);
        await _cluster.AddNodeAsync("edge-1", "gw-edge", "127.0.0.3", tlsKubelet.Port);
        await _cluster.AddGatewayAsync("gw-cloud", WellKnown.ExposeTypePublicIP,
            new Endpoint { NodeName = "cloud-1", Type = WellKnown.EndpointTypeProxy, PublicIP = "127.0.0.1", Port = tunnelPort });
        await _cluster.AddGatewayAsync("gw-edge", null, new Endpoint { NodeName = "edge-1", Type = WellKnown.EndpointTypeProxy });
        _cluster.StartController();
        await using var cloud = _cluster.NewHost("cloud-1", new IPEndPoint(IPAddress.Loopback, tunnelPort));
        await using var edge = _cluster.NewHost("edge-1");
        await cloud.StartAsync();
        await edge.StartAsync();
        await Poll.UntilAsync(() => cloud.Status.ClientsConnected.Contains("edge-1"), "edge-1 is connected to cloud-1", Deadline);

        using var callerKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var callerRequest = TestPki.SigningRequest("CN=kube-apiserver-kubelet-client", callerKey, Raven.Agent.Proxy.Certificates.CertificateTrust.ClientAuth);
        using var callerPublic = _cluster.Server.CertificateAuthority.Sign(callerRequest, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
        using var caller = TestPki.WithKey(callerPublic, callerKey);
        var authorities = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection(_cluster.Server.CertificateAuthority.Certificate);
        using var handler = new HttpClientHandler
        {
            ClientCertificates = { caller },
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && Raven.Agent.Proxy.Certificates.CertificateTrust.Check(certificate, authorities,
                    Raven.Agent.Proxy.Certificates.CertificateTrust.ServerAuth) is null,
        };
        using var https = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{cloud.Status.SecureEndPoint}/stats/summary?nodeName=edge-1");
        request.Headers.Host = $"edge-1:{tlsKubelet.Port}";
        using var response = await https.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        body.Should().Be($"edge-1-tls-kubelet GET /stats/summary host=127.0.0.3:{tlsKubelet.Port} client=O=openyurt:yurttunnel, CN=tunnel-proxy-client");
    }

    [Fact]
    public async Task Issued_certificates_carry_the_upstream_subjects_and_are_stored_owner_only()
    {
        var tunnelPort = ProxyTestCluster.FreePort();
        await _cluster.SetL7Async(true);
        await _cluster.AddNodeAsync("cloud-1", "gw-cloud", "127.0.0.1", 10250);
        await _cluster.AddGatewayAsync("gw-cloud", WellKnown.ExposeTypePublicIP,
            new Endpoint { NodeName = "cloud-1", Type = WellKnown.EndpointTypeProxy, PublicIP = "127.0.0.1", Port = tunnelPort });
        _cluster.StartController();
        var state = Directory.CreateTempSubdirectory("rvt-proxyhost-").FullName;

        await using (var cloud = _cluster.NewHost("cloud-1", new IPEndPoint(IPAddress.Loopback, tunnelPort), state))
        {
            await cloud.StartAsync();
            await Poll.UntilAsync(() => cloud.Status is { ServerRunning: true, ClientRunning: true }, "cloud-1 runs both roles", Deadline);

            var certificates = cloud.Certificates!;
            certificates.ServerCertificate!.Subject.Should().Be("O=system:nodes, CN=system:node:tunnel-proxy-server");
            certificates.ProxyUserCertificate!.Subject.Should().Be("O=openyurt:yurttunnel, CN=tunnel-proxy-client");
            certificates.TunnelClientCertificate!.Subject.Should().Be("O=openyurt:yurttunnel, CN=tunnel-agent-client");
            // The controller creates x-raven-proxy-internal-svc once the gateway is exposed: its IP and names join the SANs.
            await Poll.UntilAsync(() => Sans(certificates.ServerCertificate!).Contains("DNS:x-raven-proxy-internal-svc.kube-system.svc,"),
                "the server certificate carries the internal service names", Deadline);
            var service = await _cluster.Client.Api.CoreV1.ReadNamespacedServiceAsync("x-raven-proxy-internal-svc", "kube-system");
            Sans(certificates.ServerCertificate!).Should().Be($"IP:{service.Spec.ClusterIP}, IP:127.0.0.1, DNS:cloud-1, " +
                "DNS:x-raven-proxy-internal-svc, DNS:x-raven-proxy-internal-svc.kube-system, DNS:x-raven-proxy-internal-svc.kube-system.svc, " +
                "DNS:x-raven-proxy-internal-svc.kube-system.svc.cluster.local");
            certificates.TrustedAuthorities[0].Thumbprint.Should().Be(_cluster.Server.CertificateAuthority.Certificate.Thumbprint);
        }

        var files = Directory.GetFiles(Path.Combine(state, "certs")).Select(Path.GetFileName).Order().ToList();
        files.Should().Equal("raven-proxy-client-current.pem", "raven-proxy-server-current.pem", "raven-proxy-user-current.pem");
        Directory.GetFiles(Path.Combine(state, "certs")).Should().OnlyContain(f => File.GetUnixFileMode(f) == (UnixFileMode.UserRead | UnixFileMode.UserWrite));

        var csrs = _cluster.Client.Api.CertificatesV1;
        var before = (await csrs.ListCertificateSigningRequestAsync()).Items.Count;
        before.Should().BeInRange(3, 4, "one CSR per certificate, plus one when the service SANs arrived after the first server certificate");

        // A restart with the same state directory reuses the stored certificates: no new CSR.
        await using (var restarted = _cluster.NewHost("cloud-1", new IPEndPoint(IPAddress.Loopback, tunnelPort), state))
        {
            await restarted.StartAsync();
            await Poll.UntilAsync(() => restarted.Status is { ServerRunning: true, ClientRunning: true }, "the restarted host runs both roles", Deadline);
        }

        (await csrs.ListCertificateSigningRequestAsync()).Items.Should().HaveCount(before);
    }

    [Fact]
    public async Task A_new_public_ip_re_requests_the_server_certificate_with_it()
    {
        var tunnelPort = ProxyTestCluster.FreePort();
        await _cluster.SetL7Async(true);
        await _cluster.AddNodeAsync("cloud-1", "gw-cloud", "127.0.0.1", 10250);
        await _cluster.AddGatewayAsync("gw-cloud", WellKnown.ExposeTypePublicIP,
            new Endpoint { NodeName = "cloud-1", Type = WellKnown.EndpointTypeProxy, PublicIP = "127.0.0.1", Port = tunnelPort });
        _cluster.StartController();
        await using var cloud = _cluster.NewHost("cloud-1", new IPEndPoint(IPAddress.Loopback, tunnelPort));
        await cloud.StartAsync();
        await Poll.UntilAsync(() => cloud.Status.ServerRunning, "cloud-1 runs its proxy server", Deadline);
        var first = cloud.Certificates!.ServerCertificate!.Thumbprint;

        var gateways = _cluster.Client.CustomObjects(KubeResources.Gateways);
        await gateways.UpdateWithRetryAsync("gw-cloud", null, g =>
        {
            g.Spec.Endpoints![0].PublicIP = "203.0.113.10";
            return true;
        });

        await Poll.UntilAsync(() => Sans(cloud.Certificates!.ServerCertificate!).Contains("IP:203.0.113.10,"),
            "a server certificate for the new public IP", Deadline);
        cloud.Certificates!.ServerCertificate!.Thumbprint.Should().NotBe(first);
        Sans(cloud.Certificates!.ServerCertificate!).Should().Contain("IP:127.0.0.1, IP:203.0.113.10, DNS:cloud-1");
        cloud.Status.ServerRunning.Should().BeTrue("a new certificate needs no restart: it is read at every handshake");
    }

    [Fact]
    public async Task With_l7_disabled_nothing_runs_and_no_certificate_is_requested()
    {
        await _cluster.SetL7Async(false);
        await _cluster.AddNodeAsync("edge-1", "gw-edge", "127.0.0.3", _kubelet.Port);
        await _cluster.AddGatewayAsync("gw-edge", null, new Endpoint { NodeName = "edge-1", Type = WellKnown.EndpointTypeProxy });
        _cluster.StartController();
        await using var edge = _cluster.NewHost("edge-1");

        await edge.StartAsync();
        await Poll.UntilAsync(() => edge.Status.LocalGateway == "gw-edge", "the host has read the cluster", Deadline);

        edge.Status.Should().Match<ProxyHostStatus>(s => s.Role == "none" && !s.ClientRunning && !s.ServerRunning && s.Certificates.Count == 0);
        (await _cluster.Client.Api.CertificatesV1.ListCertificateSigningRequestAsync()).Items.Should().BeEmpty();
    }

    private static string Sans(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        Raven.Agent.Proxy.Certificates.CertificateSans.Of(certificate).ToString();
}
