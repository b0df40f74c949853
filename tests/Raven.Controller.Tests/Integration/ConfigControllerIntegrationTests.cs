using k8s;
using k8s.Models;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Controller.Config;
using Raven.Controller.Reconcilers;
using Raven.Kube.Models;
using static Raven.Controller.Tests.Integration.TestCluster;

namespace Raven.Controller.Tests.Integration;

/// <summary>Gateways configured from raven-cfg through the embedded API server's server-side apply.</summary>
public sealed class ConfigControllerIntegrationTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    private readonly StringWriter _log = new();

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        File.WriteAllText("/tmp/rvh3-config-test.log", _log.ToString());
    }

    private void StartController() =>
        _cluster.StartController(logs: Raven.Kube.Observability.RavenLogging.Create(Microsoft.Extensions.Logging.LogLevel.Information, json: false, TextWriter.Synchronized(_log)));

    private static Dictionary<string, string> Data(string? ports = "https=10250\nhttp=10255\n", string nodes = "gw-cloud=cloud-node-1\ngw-edge=edge-node-1\n", string replicas = "1") =>
        new()
        {
            [WellKnown.EnableL3TunnelKey] = "true",
            [WellKnown.EnableL7ProxyKey] = "true",
            ["gateway-replicas"] = replicas,
            ["exposed-gateway"] = "gw-cloud=LoadBalancer\n",
            ["gateway-nodes"] = nodes,
            ["l7-proxy-port"] = ports ?? "",
        };

    private async Task SetAsync(Dictionary<string, string> data)
    {
        if (data.TryGetValue("l7-proxy-port", out var ports) && ports.Length == 0)
        {
            data.Remove("l7-proxy-port");
        }

        var cm = await _cluster.Core.ReadNamespacedConfigMapAsync(WellKnown.RavenGlobalConfig, WellKnown.WorkingNamespace);
        cm.Data = data;
        await _cluster.Core.ReplaceNamespacedConfigMapAsync(cm, WellKnown.RavenGlobalConfig, WellKnown.WorkingNamespace);
    }

    /// <summary>Polls until the Gateway exists and <paramref name="condition"/> holds.</summary>
    private async Task<Gateway> WhenAsync(string name, Func<Gateway, bool> condition, string what) =>
        (await EventuallyAsync(() => _cluster.Gateways.TryGetAsync(name), g => g is not null && condition(g), what))!;

    private static string Endpoints(Gateway g) =>
        string.Join(",", (g.Spec.Endpoints ?? []).Select(e => $"{e.NodeName}/{e.Type}/{e.Port}/{(e.UnderNAT ? "nat" : "public")}"));

    private static IEnumerable<string> Managers(Gateway g) =>
        g.Metadata.Extra!["managedFields"].EnumerateArray().Select(e => e.GetProperty("manager").GetString()!);

    [Fact]
    public async Task Creates_the_gateways_raven_cfg_describes_as_their_field_manager()
    {
        await SetAsync(Data());
        StartController();

        var cloud = await WhenAsync("gw-cloud", g => g.Spec.ExposeType == "LoadBalancer", "gw-cloud created");
        var edge = await WhenAsync("gw-edge", g => g.Spec.Endpoints?.Count == 2, "gw-edge created");

        Endpoints(cloud).Should().Be("cloud-node-1/tunnel/4500/public,cloud-node-1/proxy/10262/public");
        Endpoints(edge).Should().Be("edge-node-1/tunnel/4500/nat,edge-node-1/proxy/10262/nat");
        cloud.Spec.ProxyConfig.ProxyHTTPSPort.Should().Be("10250");
        cloud.Spec.ProxyConfig.ProxyHTTPPort.Should().Be("10255");
        cloud.Spec.ProxyConfig.Replicas.Should().Be(1);
        cloud.Spec.TunnelConfig.Replicas.Should().Be(1);
        cloud.Metadata.Annotation(GatewayConfigPlanner.CreatedByAnnotation).Should().Be("raven-cfg");
        Managers(cloud).Should().Contain(ConfigReconciler.FieldManager);
        cloud.Spec.NodeSelector!.MatchLabels.Should().Contain(WellKnown.GatewayLabel, "gw-cloud", "admission defaulting ran on the apply");
    }

    [Fact]
    public async Task User_and_agent_edits_survive_derived_fields_are_taken_back_and_removed_keys_are_released()
    {
        await SetAsync(Data());
        StartController();
        await WhenAsync("gw-edge", g => g.Spec.Endpoints?.Count == 2, "gw-edge created");

        // The agent writes what it found out into the endpoints; a user labels gw-cloud and changes its exposeType.
        await _cluster.Gateways.UpdateWithRetryAsync("gw-edge", null, g =>
        {
            g.Spec.Endpoints![0].PublicIP = "203.0.113.9";
            return true;
        });
        await _cluster.Gateways.UpdateWithRetryAsync("gw-cloud", null, g =>
        {
            (g.Metadata.Labels ??= [])["team"] = "net";
            g.Spec.ExposeType = "PublicIP";
            return true;
        });
        var cloud = await WhenAsync("gw-cloud", g => g.Spec.ExposeType == "LoadBalancer", "exposeType taken back from the user");
        cloud.Metadata.Label("team").Should().Be("net");

        // Dropping l7-proxy-port: the controller was the only owner of the ports, so they go...
        await SetAsync(Data(ports: null, replicas: "1"));
        await WhenAsync("gw-cloud", g => g.Spec.ProxyConfig.ProxyHTTPSPort is null, "ports released");
        // ...and a user may now set them without the controller reverting it, even after raven-cfg changes again.
        await _cluster.Gateways.UpdateWithRetryAsync("gw-cloud", null, g =>
        {
            g.Spec.ProxyConfig.ProxyHTTPSPort = "9443";
            return true;
        });
        await SetAsync(Data(ports: null, replicas: "0"));
        cloud = await WhenAsync("gw-cloud", g => g.Spec.ProxyConfig.Replicas == 0, "replicas 0 applied");
        cloud.Spec.ProxyConfig.ProxyHTTPSPort.Should().Be("9443");
        cloud.Metadata.Label("team").Should().Be("net");
        var edge = await _cluster.Gateways.GetAsync("gw-edge");
        edge.Spec.Endpoints![0].PublicIP.Should().Be("203.0.113.9", "the agent's field is carried over, not reset");
    }

    [Fact]
    public async Task A_gateway_created_from_a_line_goes_with_it_and_other_gateways_stay()
    {
        await _cluster.Gateways.CreateAsync(Gateway("gw-user", null, 1, 1, Ep("u1", "tunnel", true)));
        await SetAsync(Data());
        StartController();
        await WhenAsync("gw-edge", g => g.Spec.Endpoints?.Count == 2, "gw-edge created");

        await SetAsync(Data(nodes: "gw-cloud=cloud-node-1\n"));

        await EventuallyAsync(() => _cluster.Gateways.TryGetAsync("gw-edge"), g => g is null, "gw-edge deleted");
        (await _cluster.Gateways.TryGetAsync("gw-cloud")).Should().NotBeNull();
        var user = await _cluster.Gateways.GetAsync("gw-user");
        Endpoints(user).Should().Be("u1/tunnel/4500/nat", "gateway-nodes never named gw-user");
    }

    [Fact]
    public async Task The_proposals_folded_form_and_unknown_keys_are_warning_events_and_change_no_gateway()
    {
        await SetAsync(Data());
        StartController();
        await WhenAsync("gw-edge", g => g.Spec.Endpoints?.Count == 2, "gw-edge created");
        var before = await _cluster.Gateways.GetAsync("gw-cloud");

        var broken = Data(nodes: "gw-cloud=cloud-node-2 gw-edge=edge-node-2", replicas: "2");
        broken["gateway-node"] = "gw-x=n";
        await SetAsync(broken);

        var events = await EventuallyAsync(() => _cluster.Core.ListNamespacedEventAsync(WellKnown.WorkingNamespace),
            list => list.Items.Count(e => e.InvolvedObject.Name == WellKnown.RavenGlobalConfig) >= 2, "warnings on raven-cfg");
        var warnings = events.Items.Where(e => e.InvolvedObject.Name == WellKnown.RavenGlobalConfig).ToList();
        warnings.Should().OnlyContain(e => e.Type == "Warning" && e.InvolvedObject.Kind == "ConfigMap");
        warnings.Should().Contain(e => e.Reason == ConfigReconciler.ReasonInvalid &&
            e.Message.StartsWith("raven-cfg gateway-nodes line 1 \"gw-cloud=cloud-node-2 gw-edge=edge-node-2\"", StringComparison.Ordinal) &&
            e.Message.Contains("gateway-nodes: |\n      gw-cloud=cloud-node-1", StringComparison.Ordinal));
        warnings.Should().Contain(e => e.Reason == ConfigReconciler.ReasonUnknownKey && e.Message.Contains("\"gateway-node\"", StringComparison.Ordinal));

        // Nothing half-applied: gateway-replicas 2 came with the broken key and is not written either.
        var after = await _cluster.Gateways.GetAsync("gw-cloud");
        after.Spec.ProxyConfig.Replicas.Should().Be(1);
        Api.Json.RavenJson.Serialize(after.Spec).Should().Be(Api.Json.RavenJson.Serialize(before.Spec));
        (await _cluster.Gateways.TryGetAsync("gw-edge")).Should().NotBeNull();
    }
}
