using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.ApiServer;
using Raven.ApiServer.Gateways;
using Raven.Controller.Runtime;
using Raven.Kube.Client;
using Raven.Kube.Observability;
using Raven.Lab.Run;
using Raven.Lab.Topology;

namespace Raven.Lab.Tests;

/// <summary>
/// `raven lab up --gateways-from-config`: the lab's raven-cfg, given to the real controller on the embedded API
/// server, yields the Gateways the lab otherwise writes itself (LabCluster), apart from what raven-cfg cannot say.
/// </summary>
public sealed class GatewaysFromConfigTests : IAsyncLifetime
{
    private readonly EmbeddedApiServer _server = RavenApiServer.Create(new EmbeddedApiServerOptions());
    private readonly CancellationTokenSource _stop = new();
    private KubeClient _client = null!;
    private Task _controller = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await _server.StartAsync();
        await RavenApiServer.InstallGatewayCrdAsync(_server, CancellationToken.None);
        _client = KubeClient.ForServer(_server.Url.ToString());
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _controller.ContinueWith(_ => { }, TaskScheduler.Default);
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task The_controller_builds_the_labs_gateways_from_its_raven_cfg()
    {
        var topology = LabTopology.Seed();
        await _client.Api.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new() { Name = WellKnown.RavenGlobalConfig, NamespaceProperty = WellKnown.WorkingNamespace },
            Data = LabRavenConfig.Data(topology).ToDictionary(p => p.Key, p => p.Value),
        }, WellKnown.WorkingNamespace);
        var controller = new RavenController(_client, new ControllerOptions { LeaderElection = false }, new ControllerMetrics(), NullLoggerFactory.Instance);
        _controller = Task.Run(() => controller.RunAsync(_stop.Token));
        var expected = LabCluster.Gateways(topology)
            .Where(g => LabRavenConfig.DescribedByConfig(topology.Domains.Single(d => d.GatewayName == g.Name))).ToList();
        expected.Should().HaveCount(3, "every seed domain is described; the lab's L7-only colliding domain is not");

        var gateways = _client.CustomObjects(KubeResources.Gateways);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        IReadOnlyList<Gateway> made;
        do
        {
            made = await gateways.ListAsync();
            await Task.Delay(50);
        }
        while (made.Count < expected.Count && DateTime.UtcNow < deadline);

        made.Select(g => g.Name).Should().BeEquivalentTo(expected.Select(g => g.Name));
        foreach (var want in expected)
        {
            var got = made.Single(g => g.Name == want.Name);
            got.Spec.ExposeType.Should().Be(want.Spec.ExposeType, want.Name);
            Shape(got, WellKnown.EndpointTypeProxy).Should().Equal(Shape(want, WellKnown.EndpointTypeProxy), want.Name);
            got.Spec.ProxyConfig.Replicas.Should().Be(want.Spec.ProxyConfig.Replicas, want.Name);
            if (want.Spec.ExposeType is not null)
            {
                got.Spec.ProxyConfig.ProxyHTTPPort.Should().Be(want.Spec.ProxyConfig.ProxyHTTPPort);
                got.Spec.ProxyConfig.ProxyHTTPSPort.Should().Be(want.Spec.ProxyConfig.ProxyHTTPSPort);
            }

            Shape(got, WellKnown.EndpointTypeTunnel).Should().Equal(Shape(want, WellKnown.EndpointTypeTunnel), want.Name);
            // raven-cfg elects one tunnel endpoint per Gateway (upstream's rule); more are our extension, said in the Gateway.
            got.Spec.TunnelConfig.Replicas.Should().Be(Math.Min(want.Spec.TunnelConfig.Replicas, 1), want.Name);
        }

        var eip = topology.Nodes.Select(n => LabRavenConfig.PublicAddressOf(topology, n)).OfType<string>().ToList();
        eip.Should().BeEquivalentTo(expected.SelectMany(g => g.Spec.Endpoints ?? []).Select(e => e.PublicIP).OfType<string>().Distinct(),
            "the exposed node's agent gets the elastic IP the lab's Gateway would have carried");
    }

    private static List<string> Shape(Gateway gateway, string type) =>
        (gateway.Spec.Endpoints ?? []).Where(e => e.Type == type).Select(e => $"{e.NodeName}:{e.Port}:{(e.UnderNAT ? "nat" : "public")}").ToList();
}
