using Raven.Api;
using Raven.Kube.Observability;
using Raven.Controller.Dns;
using Raven.Controller.Services;
using Raven.Kube.Client;
using Raven.Kube.Models;
using Raven.TestSupport;
using k8s;
using k8s.Models;
using static Raven.Controller.Tests.Integration.TestCluster;

namespace Raven.Controller.Tests.Integration;

/// <summary>The controller against the embedded API server over real HTTP, watches included.</summary>
public sealed class ControllerIntegrationTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private async Task SeedAsync()
    {
        await _cluster.AddNodeAsync("cloud-1", "gw-cloud", "192.168.0.195", "10.244.0.0/24");
        await _cluster.AddNodeAsync("cloud-2", "gw-cloud", "192.168.0.196", "10.244.1.0/24");
        await _cluster.AddNodeAsync("hz-1", "gw-hangzhou", "172.16.2.103", "10.244.18.0/24");
        await _cluster.AddNodeAsync("hz-2", "gw-hangzhou", "172.16.2.104", "10.244.19.0/24");
        await _cluster.Gateways.CreateAsync(Gateway("gw-cloud", "LoadBalancer", 1, 1,
            Ep("cloud-1", "tunnel"), Ep("cloud-1", "proxy"), Ep("cloud-2", "tunnel"), Ep("cloud-2", "proxy")));
        await _cluster.Gateways.CreateAsync(Gateway("gw-hangzhou", null, 1, 1,
            Ep("hz-1", "tunnel", true), Ep("hz-1", "proxy", true), Ep("hz-2", "tunnel", true), Ep("hz-2", "proxy", true)));
    }

    [Fact]
    public async Task Elects_endpoints_and_writes_nodes_conditions_and_events()
    {
        await SeedAsync();
        _cluster.StartController();

        var hz = await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-1/tunnel,hz-1/proxy", "hz-1 elected");

        hz.Status.Nodes!.Select(n => $"{n.NodeName}={n.PrivateIP}:{string.Join(",", n.Subnets)}")
            .Should().Equal("hz-1=172.16.2.103:10.244.18.0/24", "hz-2=172.16.2.104:10.244.19.0/24");
        hz.Status.ActiveEndpoints![0].Config.Should().Contain(WellKnown.EnableL3TunnelKey, "true");
        hz.Status.ActiveEndpoints![0].Port.Should().Be(4500, "defaulting filled the port at admission");
        hz.Status.Conditions!.Single(c => c.Type == "Ready").Status.Should().Be("True");
        hz.Status.ObservedGeneration.Should().Be(hz.Metadata.Generation);
        var events = await EventuallyAsync(() => _cluster.Core.ListEventForAllNamespacesAsync(),
            l => l.Items.Any(e => e.Reason == WellKnown.EventActiveEndpointElected), "an ActiveEndpointElected event");
        events.Items.Should().Contain(e => e.Reason == WellKnown.EventActiveEndpointElected && e.InvolvedObject!.Name == "gw-hangzhou");
    }

    [Fact]
    public async Task Fails_over_when_the_active_node_is_not_ready_and_stays_on_the_new_one()
    {
        await SeedAsync();
        _cluster.StartController();
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-1/tunnel,hz-1/proxy", "hz-1 elected");

        await _cluster.SetReadyAsync("hz-1", false);
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-2/tunnel,hz-2/proxy", "failover to hz-2");
        await _cluster.SetReadyAsync("hz-1", true);

        var after = await _cluster.GatewayWhenAsync("gw-hangzhou", g => g.Status.Nodes is not null, "status");
        await Task.Delay(300); // give a wrong re-election a chance to show up
        Actives(await _cluster.Gateways.GetAsync("gw-hangzhou")).Should().Be("hz-2/tunnel,hz-2/proxy", "a still-eligible active endpoint is sticky");
    }

    [Fact]
    public async Task An_expired_agent_lease_fails_over_without_any_node_change()
    {
        await SeedAsync();
        await _cluster.RenewAgentLeaseAsync("hz-1", seconds: 2);
        await _cluster.RenewAgentLeaseAsync("hz-2", seconds: 3600);
        _cluster.StartController();
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-1/tunnel,hz-1/proxy", "hz-1 elected");

        // hz-1's agent stops renewing: its lease runs out while NodeReady stays True.
        var moved = await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-2/tunnel,hz-2/proxy", "lease-expiry failover", seconds: 10);

        moved.Status.Nodes!.Should().HaveCount(2);
    }

    [Fact]
    public async Task Raven_cfg_switches_decide_what_is_elected()
    {
        await SeedAsync();
        await _cluster.SetRavenCfgAsync(tunnel: true, proxy: false);
        _cluster.StartController();

        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-1/tunnel", "only the tunnel elected");
        await _cluster.Core.DeleteNamespacedConfigMapAsync(WellKnown.RavenGlobalConfig, WellKnown.WorkingNamespace);
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => g.Status.ActiveEndpoints is null, "nothing elected without raven-cfg");
    }

    [Fact]
    public async Task Load_balancer_internal_service_and_dns_follow_the_gateways()
    {
        await SeedAsync();
        _cluster.StartController();
        await _cluster.GatewayWhenAsync("gw-cloud", g => Actives(g) == "cloud-1/tunnel,cloud-1/proxy", "cloud-1 elected");

        var tunnelSvc = await EventuallyAsync(() => _cluster.Core.ReadNamespacedServiceAsync("x-raven-tunnel-svc-gw-cloud", WellKnown.WorkingNamespace).NullIfNotFound(),
            s => s is not null, "the tunnel LoadBalancer service");
        tunnelSvc!.Spec.Type.Should().Be("LoadBalancer");
        tunnelSvc.Spec.Ports!.Select(p => (p.Name, p.Protocol, p.Port)).Should().Equal(("tunnel", "UDP", 4500), ("stun", "UDP", 3478), ("stun-alternate", "UDP", 3479));
        var internalEndpoints = await EventuallyAsync(() => _cluster.Core.ReadNamespacedEndpointsAsync(InternalServicePlanner.Name, WellKnown.WorkingNamespace).NullIfNotFound(),
            e => e?.Subsets?.FirstOrDefault()?.Addresses?.Count == 1, "internal service endpoints");
        internalEndpoints!.Subsets![0].Addresses![0].Ip.Should().Be("192.168.0.195");
        var internalSvc = await _cluster.Core.ReadNamespacedServiceAsync(InternalServicePlanner.Name, WellKnown.WorkingNamespace);
        internalSvc.Spec.Ports!.Select(p => p.Name).Should().Equal("http-10255", "https-10250");
        var dns = await EventuallyAsync(() => _cluster.Core.ReadNamespacedConfigMapAsync(TunnelNodeRecords.ConfigMapName, WellKnown.WorkingNamespace).NullIfNotFound(),
            c => c.ReadOnlyData()?.GetValueOrDefault(TunnelNodeRecords.Key)?.Contains("hz-1", StringComparison.Ordinal) == true, "DNS records");
        dns!.Data[TunnelNodeRecords.Key].Should().Contain($"{internalSvc.Spec.ClusterIP}\thz-1").And.Contain("192.168.0.195\tcloud-1");

        // Failover in the cloud keeps the LoadBalancer Service (and its address), moving only its backend.
        var clusterIp = tunnelSvc.Spec.ClusterIP;
        await _cluster.SetReadyAsync("cloud-1", false);
        var endpoints = await EventuallyAsync(() => _cluster.Core.ReadNamespacedEndpointsAsync("x-raven-tunnel-svc-gw-cloud", WellKnown.WorkingNamespace).NullIfNotFound(),
            e => e?.Subsets?.FirstOrDefault()?.Addresses?.FirstOrDefault()?.NodeName == "cloud-2", "the LB backend moving to cloud-2");
        endpoints!.Subsets![0].Addresses![0].Ip.Should().Be("192.168.0.196");
        (await _cluster.Core.ReadNamespacedServiceAsync("x-raven-tunnel-svc-gw-cloud", WellKnown.WorkingNamespace)).Spec.ClusterIP.Should().Be(clusterIp);
    }

    [Fact]
    public async Task Agent_writes_to_spec_racing_the_controller_end_up_in_status()
    {
        await SeedAsync();
        _cluster.StartController();
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-1/tunnel,hz-1/proxy", "hz-1 elected");

        // Agents keep writing their key and address while the controller writes status: both must survive.
        for (var i = 1; i <= 10; i++)
        {
            var round = i;
            await _cluster.Gateways.UpdateWithRetryAsync("gw-hangzhou", null, g =>
            {
                var tunnel = g.Spec.Endpoints!.First(e => e.NodeName == "hz-1" && e.Type == "tunnel");
                tunnel.Config = new() { ["publicKey"] = $"key-{round}" };
                tunnel.PublicIP = $"198.51.100.{round}";
                return true;
            });
        }

        var final = await _cluster.GatewayWhenAsync("gw-hangzhou",
            g => g.Status.ActiveEndpoints!.First(e => e.Type == "tunnel").Config!.GetValueOrDefault("publicKey") == "key-10", "the last key in status");
        final.Status.ActiveEndpoints!.First(e => e.Type == "tunnel").PublicIP.Should().Be("198.51.100.10");
        final.Spec.Endpoints!.First(e => e.NodeName == "hz-1" && e.Type == "tunnel").Config!["publicKey"].Should().Be("key-10");
    }

    [Fact]
    public async Task A_restarted_controller_changes_nothing_that_is_already_right()
    {
        await SeedAsync();
        _cluster.StartController();
        var before = await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-1/tunnel,hz-1/proxy", "hz-1 elected");
        await EventuallyAsync(() => _cluster.Core.ReadNamespacedConfigMapAsync(TunnelNodeRecords.ConfigMapName, WellKnown.WorkingNamespace).NullIfNotFound(), c => c is not null, "DNS");
        await _cluster.StopControllerAsync(0);

        var second = _cluster.StartController();
        await EventuallyAsync(() => second.Metrics.Registry.ExportTextAsync(), m => m.Contains("controller=\"gateway-dns\"", StringComparison.Ordinal), "the new controller to reconcile");
        var after = await _cluster.Gateways.GetAsync("gw-hangzhou");

        after.Metadata.ResourceVersion.Should().Be(before.Metadata.ResourceVersion, "an unchanged status is not rewritten");
    }

    [Fact]
    public async Task Only_the_leader_writes_and_a_standby_takes_over()
    {
        await SeedAsync();
        var first = _cluster.StartController(leaderElection: true, identity: "first");
        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) != "", "an election by the first controller");
        var second = _cluster.StartController(leaderElection: true, identity: "second");
        await Task.Delay(500);
        second.IsLeader.Should().BeFalse();

        await _cluster.StopControllerAsync(0);
        await EventuallyAsync(() => Task.FromResult(second.IsLeader), l => l, "the standby to lead", seconds: 10);
        await _cluster.SetReadyAsync("hz-1", false);

        await _cluster.GatewayWhenAsync("gw-hangzhou", g => Actives(g) == "hz-2/tunnel,hz-2/proxy", "the new leader to fail over");
        first.IsLeader.Should().BeFalse();
    }

    [Fact]
    public async Task Approves_raven_proxy_csrs_and_leaves_others_alone()
    {
        _cluster.StartController();
        var csrs = _cluster.Client.Api.CertificatesV1;
        static byte[] Request(string subject) => System.Text.Encoding.ASCII.GetBytes(TestPki.SigningRequestPem(subject));

        await csrs.CreateCertificateSigningRequestAsync(new V1CertificateSigningRequest
        {
            Metadata = new() { Name = "raven-agent-client" },
            Spec = new() { SignerName = KubeModelExtensions.SignerKubeApiServerClient, Request = Request("CN=tunnel-agent-client,O=openyurt:yurttunnel"),
                Usages = ["digital signature", "key encipherment", "client auth"], Username = "system:node:hz-1", Groups = ["system:nodes"] },
        });
        await csrs.CreateCertificateSigningRequestAsync(new V1CertificateSigningRequest
        {
            Metadata = new() { Name = "someone-else" },
            Spec = new() { SignerName = KubeModelExtensions.SignerKubeApiServerClient, Request = Request("CN=admin,O=system:masters"),
                Usages = ["client auth"], Username = "system:node:hz-1", Groups = ["system:nodes"] },
        });

        var approved = await EventuallyAsync(() => csrs.ReadCertificateSigningRequestAsync("raven-agent-client"), c => c.Status?.Certificate is { Length: > 0 }, "the raven CSR to be approved and signed");
        approved.HasCondition(KubeModelExtensions.CsrApproved).Should().BeTrue();
        (await csrs.ReadCertificateSigningRequestAsync("someone-else")).Status?.Conditions.Should().BeNullOrEmpty();
    }
}

/// <summary>Calico clusters: pod CIDRs come from confirmed BlockAffinities, not from the Node.</summary>
public sealed class CalicoIntegrationTests : IAsyncLifetime
{
    private const string BlockAffinityCrd = """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"blockaffinities.crd.projectcalico.org"},
         "spec":{"group":"crd.projectcalico.org","scope":"Cluster",
           "names":{"kind":"BlockAffinity","listKind":"BlockAffinityList","plural":"blockaffinities","singular":"blockaffinity"},
           "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{
             "spec":{"type":"object","properties":{"cidr":{"type":"string"},"node":{"type":"string"},"state":{"type":"string"},"deleted":{"type":"string"}}}}}}}]}}
        """;

    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Confirmed_block_affinities_become_the_nodes_subnets()
    {
        await _cluster.Client.Api.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(BlockAffinityCrd));
        var blocks = _cluster.Client.CustomObjects(KubeResources.BlockAffinities);
        await EventuallyAsync(async () =>
        {
            try
            {
                await blocks.ListAsync();
                return true;
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.IsNotFound())
            {
                return false;
            }
        }, served => served, "the BlockAffinity CRD to be served");
        foreach (var (name, cidr, state) in new[] { ("a", "10.10.1.0/26", "confirmed"), ("b", "10.10.1.64/26", "confirmed"), ("c", "10.10.9.0/26", "pending") })
        {
            await blocks.CreateAsync(new BlockAffinity { Metadata = new() { Name = name }, Spec = new() { Cidr = cidr, Node = "calico-1", State = state } });
        }

        await _cluster.AddNodeAsync("calico-1", "gw-calico", "172.20.0.1", "10.99.0.0/24");
        await _cluster.Core.PatchNodeAsync(new V1Patch("""{"metadata":{"annotations":{"projectcalico.org/IPv4Address":"172.20.0.1/24"}}}""", V1Patch.PatchType.MergePatch), "calico-1");
        await _cluster.Gateways.CreateAsync(Gateway("gw-calico", null, 0, 1, Ep("calico-1", "tunnel")));
        _cluster.StartController();

        var gateway = await _cluster.GatewayWhenAsync("gw-calico", g => g.Status.Nodes is { Count: 1 }, "status.nodes");

        gateway.Status.Nodes![0].Subnets.Should().Equal("10.10.1.0/26", "10.10.1.64/26");
    }
}
