using System.Net;
using System.Net.Http.Json;
using Raven.Agent.Proxy.Cluster;
using Raven.Agent.Tests.Proxy;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Kube.Client;
using Raven.Kube.Models;
using Raven.TestSupport;
using k8s;
using k8s.Models;

namespace Raven.Agent.Tests.ProxyCluster;

/// <summary>Role changes and certificate failures, against the embedded API server.</summary>
public sealed class ProxyHostRoleChangeTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private ProxyTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ProxyTestCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private ICertificatesV1Operations Csrs => _cluster.Client.Api.CertificatesV1;

    [Fact]
    public async Task Turning_l7_off_stops_both_roles_and_turning_it_on_starts_them_again()
    {
        var tunnelPort = ProxyTestCluster.FreePort();
        await _cluster.SetL7Async(true);
        await _cluster.AddNodeAsync("cloud-1", "gw-cloud", "127.0.0.1", 10250);
        await _cluster.AddGatewayAsync("gw-cloud", WellKnown.ExposeTypePublicIP,
            new Endpoint { NodeName = "cloud-1", Type = WellKnown.EndpointTypeProxy, PublicIP = "127.0.0.1", Port = tunnelPort });
        _cluster.StartController();
        await using var cloud = _cluster.NewHost("cloud-1", new IPEndPoint(IPAddress.Loopback, tunnelPort));
        await cloud.StartAsync();
        await Poll.UntilAsync(() => cloud.Status is { ServerRunning: true, ClientRunning: true }, "both roles run", Deadline);

        await SetL7Async(false);
        await Poll.UntilAsync(() => cloud.Status is { ServerRunning: false, ClientRunning: false, Role: "none" }, "both roles stop", Deadline);

        await SetL7Async(true);
        await Poll.UntilAsync(() => cloud.Status is { ServerRunning: true, ClientRunning: true }, "both roles run again", Deadline);
        cloud.Status.TunnelEndPoint.Should().Be($"127.0.0.1:{tunnelPort}", "the tunnel port is re-bound after the restart");
    }

    [Fact]
    public async Task Without_an_approver_start_returns_at_once_and_status_names_the_unanswered_csr()
    {
        await _cluster.SetL7Async(true);
        await _cluster.AddNodeAsync("edge-1", "gw-edge", "127.0.0.3", 10250);
        await using var edge = _cluster.NewHost("edge-1", requestTimeout: TimeSpan.FromMilliseconds(300));

        var start = edge.StartAsync();

        start.IsCompleted.Should().BeTrue("waiting for certificates must never block the caller");
        await Poll.UntilAsync(() => edge.Status.Certificates.Any(c => c.LastError?.Contains("was not signed within", StringComparison.Ordinal) == true),
            "the status reports the unanswered CSR", Deadline);
        edge.Status.Should().Match<ProxyHostStatus>(s => s.Role == "client" && !s.ClientRunning && s.LocalGateway == null);
        var csr = (await Csrs.ListCertificateSigningRequestAsync()).Items.First();
        csr.Spec.SignerName.Should().Be(KubeModelExtensions.SignerKubeApiServerClient);
        csr.Spec.Username.Should().Be("system:node:edge-1");
        csr.Spec.Usages.Should().Equal("digital signature", "key encipherment", "client auth");
        csr.Metadata.Name.Should().StartWith("raven-proxy-client-edge-1-");
    }

    [Fact]
    public async Task A_denied_csr_is_reported_with_its_reason()
    {
        await _cluster.SetL7Async(true);
        await _cluster.AddNodeAsync("edge-1", "gw-edge", "127.0.0.3", 10250);
        await using var edge = _cluster.NewHost("edge-1");
        await edge.StartAsync();
        var pending = await PollCsrAsync();

        pending.Status = new V1CertificateSigningRequestStatus
        {
            Conditions = [new() { Type = KubeModelExtensions.CsrDenied, Status = "True", Reason = "TestDenied", Message = "not in this test" }],
        };
        await Csrs.ReplaceCertificateSigningRequestApprovalAsync(pending, pending.Metadata.Name);

        await Poll.UntilAsync(() => edge.Status.Certificates.Any(c => c.LastError?.Contains("was denied: TestDenied not in this test", StringComparison.Ordinal) == true),
            "the status reports the denial", Deadline);
        edge.Status.ClientRunning.Should().BeFalse();
    }

    private async Task<V1CertificateSigningRequest> PollCsrAsync()
    {
        V1CertificateSigningRequest? found = null;
        var until = DateTime.UtcNow + Deadline;
        while (found is null && DateTime.UtcNow < until)
        {
            found = (await Csrs.ListCertificateSigningRequestAsync()).Items.FirstOrDefault();
            if (found is null)
            {
                await Task.Delay(20);
            }
        }

        return found ?? throw new TimeoutException("no CSR was created");
    }

    private Task SetL7Async(bool enabled) => ConflictRetry.UpdateAsync(
        ct => _cluster.Client.Api.CoreV1.ReadNamespacedConfigMapAsync(WellKnown.RavenGlobalConfig, WellKnown.WorkingNamespace, cancellationToken: ct),
        c =>
        {
            c.Data![WellKnown.EnableL7ProxyKey] = enabled ? "true" : "false";
            return true;
        },
        (c, ct) => _cluster.Client.Api.CoreV1.ReplaceNamespacedConfigMapAsync(c, WellKnown.RavenGlobalConfig, WellKnown.WorkingNamespace, cancellationToken: ct));
}
