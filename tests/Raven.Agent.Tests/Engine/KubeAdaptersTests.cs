using k8s;
using k8s.Models;
using Raven.Agent.Engine;
using Raven.Api;
using Raven.Api.Json;
using Raven.Api.V1Beta1;
using Raven.Kube.Client;
using Raven.Kube.Client.Config;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Engine;

public sealed class KubeAdaptersTests : IDisposable
{
    private const string GatewayPath = "/apis/raven.openyurt.io/v1beta1/gateways/edge-a";
    private const string LeasePath = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/raven-agent-a-gw";
    private readonly FakeObjectApi _api = new();
    private readonly KubeClient _client;

    public KubeAdaptersTests()
    {
        _client = new KubeClient(KubeEndpoint.ForServer("https://203.0.113.10"), new KubeClientOptions { Qps = 0, InnermostHandler = _api });
        var gateway = Gateway("edge-a", null, Node("a-gw", "172.16.1.10"));
        gateway.Spec.Endpoints = [TunnelEndpoint("a-gw", null, underNat: true, withKey: false), TunnelEndpoint("a-w", null, withKey: false)];
        _api.Put(GatewayPath, RavenJson.Serialize(gateway));
    }

    public void Dispose() => _client.Dispose();

    private Gateway Stored => RavenJson.Deserialize<Gateway>(_api.Objects[GatewayPath].ToJsonString());

    [Fact]
    public async Task Public_key_is_written_into_this_nodes_tunnel_endpoint_through_conflicts()
    {
        var publisher = new KubeGatewayPublisher(_client);
        _api.InterferingWrites = 2;

        var changed = await publisher.PublishPublicKeyAsync("edge-a", "a-gw", KeyOf("a-gw"), CancellationToken.None);
        var again = await publisher.PublishPublicKeyAsync("edge-a", "a-gw", KeyOf("a-gw"), CancellationToken.None);

        (changed, again).Should().Be((true, false));
        Stored.Spec.Endpoints![0].Config![GatewayEndpoints.PublicKeyConfigKey].Should().Be(KeyOf("a-gw"));
        Stored.Spec.Endpoints[1].Config.Should().BeNull("only this node's endpoint is touched");
        _api.Puts.Should().Be(3, "two conflicts, then one successful write; nothing for the unchanged second call");
    }

    [Fact]
    public async Task Public_ip_is_written_only_when_empty()
    {
        var publisher = new KubeGatewayPublisher(_client);

        var first = await publisher.PublishPublicIpAsync("edge-a", "a-gw", "198.51.100.2", CancellationToken.None);
        var second = await publisher.PublishPublicIpAsync("edge-a", "a-gw", "198.51.100.99", CancellationToken.None);

        (first, second).Should().Be((true, false));
        Stored.Spec.Endpoints![0].PublicIP.Should().Be("198.51.100.2");
    }

    [Fact]
    public async Task The_public_ip_goes_on_the_nodes_proxy_endpoint_too_so_proxy_clients_can_dial_it()
    {
        var gateway = Stored;
        gateway.Spec.Endpoints = [.. gateway.Spec.Endpoints!, new Endpoint { NodeName = "a-gw", Type = WellKnown.EndpointTypeProxy, Port = 10262 }];
        _api.Put(GatewayPath, RavenJson.Serialize(gateway));
        PublicIpResolver.ToPublish(Stored, "a-gw", [], System.Net.IPAddress.Parse("198.51.100.2")).Should().NotBeNull();

        (await new KubeGatewayPublisher(_client).PublishPublicIpAsync("edge-a", "a-gw", "198.51.100.2", CancellationToken.None)).Should().BeTrue();

        Stored.Spec.Endpoints!.Where(e => e.NodeName == "a-gw").Select(e => (e.Type, e.PublicIP)).Should().Equal(
            (WellKnown.EndpointTypeTunnel, "198.51.100.2"), (WellKnown.EndpointTypeProxy, "198.51.100.2"));
        Stored.Spec.Endpoints!.Single(e => e.NodeName == "a-w").PublicIP.Should().BeNull("only this node's endpoints are touched");
        PublicIpResolver.ToPublish(Stored, "a-gw", [], System.Net.IPAddress.Parse("198.51.100.2")).Should().BeNull("every endpoint of the node has it now");
    }

    [Fact]
    public async Task Kube_inputs_list_gateways_the_agent_config_and_tunnel_services_and_signal_changes()
    {
        _api.Put("/api/v1/namespaces/kube-system/configmaps/raven-agent-config",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"raven-agent-config","namespace":"kube-system"},"data":{"forward-node-ip":"true"}}""");
        _api.Put("/api/v1/namespaces/kube-system/services/x-raven-tunnel-svc-edge-a-1",
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"x-raven-tunnel-svc-edge-a-1","namespace":"kube-system"}}""");
        var inputs = new KubeAgentInputs(_client);
        var changes = 0;
        inputs.Changed += (_, _) => Interlocked.Increment(ref changes);
        using var stop = new CancellationTokenSource();
        var running = inputs.RunAsync(stop.Token);

        await inputs.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        var snapshot = inputs.Current;
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(20));

        snapshot.Gateways.Select(g => g.Name).Should().Equal("edge-a");
        snapshot.AgentConfig.Should().Contain("forward-node-ip", "true");
        snapshot.TunnelServices.Select(s => s.Metadata.Name).Should().Equal("x-raven-tunnel-svc-edge-a-1");
        changes.Should().BeGreaterThanOrEqualTo(3, "each initial object is an add");
    }

    [Fact]
    public async Task Lease_is_created_then_renewed_with_the_node_as_holder()
    {
        var lease = new AgentLease(_client, "a-gw", TimeSpan.FromSeconds(40));

        var created = await lease.RenewAsync(CancellationToken.None);
        var renewed = await lease.RenewAsync(CancellationToken.None);

        lease.Name.Should().Be("raven-agent-a-gw");
        created.Spec.HolderIdentity.Should().Be("a-gw");
        created.Spec.LeaseDurationSeconds.Should().Be(40);
        renewed.Spec.RenewTime.Should().BeOnOrAfter(created.Spec.RenewTime!.Value);
        KubernetesJson.Deserialize<V1Lease>(_api.Objects[LeasePath].ToJsonString()).Metadata.NamespaceProperty.Should().Be("kube-system");
    }

    [Fact]
    public async Task A_lease_held_on_stop_is_not_shortened_by_the_next_agents_renewals()
    {
        var stopping = new AgentLease(_client, "a-gw", TimeSpan.FromSeconds(6));
        await stopping.RenewAsync(CancellationToken.None);
        var before = DateTimeOffset.UtcNow;

        await stopping.HoldAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        var held = Expiry(StoredLease);
        var next = new AgentLease(_client, "a-gw", TimeSpan.FromSeconds(6));
        var renewed = await next.RenewAsync(CancellationToken.None);

        held.Should().BeOnOrAfter(before.AddSeconds(30), "the stopping agent holds the lease for its successor");
        Expiry(renewed).Should().BeOnOrAfter(held, "the successor's first renewals keep the hold");
        renewed.Spec.HolderIdentity.Should().Be("a-gw");
    }

    private V1Lease StoredLease => KubernetesJson.Deserialize<V1Lease>(_api.Objects[LeasePath].ToJsonString());

    private static DateTimeOffset Expiry(V1Lease lease) =>
        new DateTimeOffset(DateTime.SpecifyKind(lease.Spec.RenewTime!.Value, DateTimeKind.Utc)).AddSeconds(lease.Spec.LeaseDurationSeconds!.Value);
}
