using k8s.Models;
using Raven.Api;
using Raven.Api.DataPlane;
using Raven.Api.V1Beta1;
using Raven.Cli.Diagnose;
using static Raven.Cli.Tests.Diagnose.DiagnoseFixture;
using static Raven.Cli.Tests.Status.ClusterFixture;

namespace Raven.Cli.Tests.Diagnose;

public sealed class DiagnosisTests
{
    private static readonly string[] CheckOrder =
    [
        "crd", "node-gateway", "node-addresses", "address-overlap", "endpoint-nodes", "active-endpoints", "agent-leases",
        "raven-cfg", "raven-agent-config", "psk", "webhooks", "vpn-drivers", "tunnel-handshakes", "mtu", "clock-skew",
    ];

    [Fact]
    public void A_healthy_cluster_passes_every_check_once_in_order()
    {
        var report = new DiagnoseFixture().Run();

        report.Results.Select(r => r.Check).Should().Equal(CheckOrder);
        report.Results.Should().OnlyContain(r => r.Status == CheckResult.Pass && r.Remedy == null);
        report.Summary.Should().Be("15 passed, 0 warnings, 0 failed");
        report.ExitCode.Should().Be(0);
        report.Results.Single(r => r.Check == "crd").Message.Should().Be("gateways.raven.openyurt.io serves v1alpha1, v1beta1; v1beta1 stores");
        report.Results.Single(r => r.Check == "webhooks").Message.Should()
            .Be("2 webhook(s); every caBundle certificate is valid for 365 more day(s); Service kube-system/raven-controller-webhook has 2 ready endpoint(s); " +
                "a dry-run Gateway create (v1beta1) went through them");
    }

    [Fact]
    public void Without_served_Gateways_the_checks_that_judge_them_say_not_checked_instead_of_passing()
    {
        var fixture = new DiagnoseFixture();
        var snapshot = fixture.Snapshot();

        var report = Diagnosis.Run(snapshot with { Cluster = snapshot.Cluster with { GatewaysServed = false } }, Now);

        report.Results.Select(r => r.Check).Should().Equal(CheckOrder);
        report.Results.Where(r => r.Status == CheckResult.Warn).Select(r => r.Check).Should().Equal(
            "node-gateway", "node-addresses", "address-overlap", "endpoint-nodes", "active-endpoints", "vpn-drivers", "tunnel-handshakes");
        report.Results.Where(r => r.Status == CheckResult.Warn).Should().OnlyContain(r => r.Message.StartsWith("not checked: ", StringComparison.Ordinal));
        Raven.Cli.Status.StatusBuilder.Build(snapshot.Cluster with { GatewaysServed = false }).Problems.Should().Contain(p =>
            p.Severity == Raven.Cli.Status.StatusProblem.Error && p.Message.StartsWith("the API server serves no raven.openyurt.io/v1beta1 Gateways", StringComparison.Ordinal));
    }

    /// <summary>Each way a check goes wrong (or stays right), and the result it must show; other results may come with it.</summary>
    public static TheoryData<string> Situations => [.. Cases.Keys];

    private static readonly Dictionary<string, (Action<DiagnoseFixture> Change, string Check, string Status, string Message)> Cases = new()
    {
        ["CRD missing"] = (f => f.Crd = null, "crd", CheckResult.Fail, "CustomResourceDefinition gateways.raven.openyurt.io is missing: no Gateway can exist"),
        ["CRD without v1beta1"] = (f => f.Crd!.Spec.Versions.Single(v => v.Name == "v1beta1").Served = false, "crd", CheckResult.Fail, "does not serve v1beta1"),
        ["CRD without v1alpha1"] = (f => f.Crd!.Spec.Versions.Single(v => v.Name == "v1alpha1").Served = false, "crd", CheckResult.Warn, "does not serve v1alpha1"),
        ["CRD storing v1alpha1"] = (f => f.Crd!.Spec.Versions.ToList().ForEach(v => v.Storage = v.Name == "v1alpha1"), "crd", CheckResult.Warn, "stores v1alpha1, not v1beta1"),
        ["CRD not established"] = (f => f.Crd!.Status = new V1CustomResourceDefinitionStatus { Conditions = [new() { Type = "Established", Status = "False", Reason = "NamesConflict" }] },
            "crd", CheckResult.Fail, "is not Established: NamesConflict"),
        ["CRD unreadable"] = (f => { f.Crd = null; f.Unreadable["crd"] = "403 Forbidden"; }, "crd", CheckResult.Warn, "cannot read CustomResourceDefinition gateways.raven.openyurt.io: 403 Forbidden"),

        ["node in no domain"] = (f => f.Cluster.Node("edge-1", null, "192.168.9.1").Lease("edge-1"), "node-gateway", CheckResult.Warn, "node edge-1: not in any domain (no raven.openyurt.io/gateway label)"),
        ["node labelled for a missing gateway"] = (f => f.Cluster.Node("sz-1", "gw-shenzhen", "172.16.3.1").Lease("sz-1"),
            "node-gateway", CheckResult.Fail, "node sz-1: labelled raven.openyurt.io/gateway=gw-shenzhen, but there is no Gateway gw-shenzhen"),

        ["endpoint without InternalIP"] = (f => f.Cluster.Node("hz-1", "gw-hangzhou", ""), "node-addresses", CheckResult.Fail,
            "node hz-1: status.addresses: no InternalIP address (a gateway endpoint)"),
        ["member without InternalIP"] = (f => f.Cluster.Node("hz-4", "gw-hangzhou", "").Nodes.Last().Spec = new V1NodeSpec { PodCIDR = "10.244.9.0/24" },
            "node-addresses", CheckResult.Warn, "node hz-4: status.addresses: no InternalIP address"),
        ["endpoint without pod CIDR"] = (f => f.PodCidr("hz-2", null), "node-addresses", CheckResult.Fail, "node hz-2: no pod CIDR (spec.podCIDR and spec.podCIDRs are empty): other domains cannot route to its pods (a gateway endpoint)"),
        ["member without pod CIDR"] = (f => f.PodCidr("hz-4", null), "node-addresses", CheckResult.Warn, "node hz-4: no pod CIDR"),
        ["member with a bad pod CIDR"] = (f => f.PodCidr("hz-4", "10.244.300.0/24"), "node-addresses", CheckResult.Warn, "node hz-4: spec.podCIDR: "),
        ["Calico node without a block"] = (f => f.Calico("hz-4"), "node-addresses", CheckResult.Warn, "node hz-4: no pod CIDR (no confirmed Calico block affinity)"),
        ["Calico node with a block"] = (f => f.Calico("hz-4", "10.245.4.0/26"), "node-addresses", CheckResult.Pass, "5 domain node(s), each with an InternalIP and a pod CIDR"),
        ["Calico blocks unreadable"] = (f => { f.Calico("hz-4"); f.Unreadable["calico"] = "403 Forbidden"; }, "node-addresses", CheckResult.Warn,
            "cannot read Calico block affinities: 403 Forbidden: pod CIDRs of Calico nodes are not checked"),
        ["a node outside every domain needs no addresses"] = (f => f.Cluster.Node("edge-1", null, "").Lease("edge-1"), "node-addresses", CheckResult.Pass, "5 domain node(s)"),

        ["pod CIDRs overlap with L3 on"] = (f => f.PodCidr("hz-4", "10.244.0.0/16"), "address-overlap", CheckResult.Fail,
            "gateways gw-cloud and gw-hangzhou share pod CIDRs: pod CIDR 10.244.1.0/24 of cloud-1 overlaps pod CIDR 10.244.0.0/16 of hz-4: L3 routes them to neither domain"),
        ["pod CIDRs overlap with L3 off"] = (f => { f.PodCidr("hz-4", "10.244.1.0/24"); f.Cluster.RavenCfg![WellKnown.EnableL3TunnelKey] = "false"; },
            "address-overlap", CheckResult.Warn, "harmless while enable-l3-tunnel is off"),
        ["node IPs overlap, both domains reached through L7"] = (f => SharedNodeIp(f), "address-overlap", CheckResult.Pass,
            "L3 does not route to shared node IPs, the L7 proxy reaches those nodes by name: gateways gw-cloud and gw-hangzhou share node IPs: node IP 10.0.0.1 of cloud-1 and of hz-4"),
        ["node IPs overlap with L7 off"] = (f => SharedNodeIp(f).Cluster.RavenCfg![WellKnown.EnableL7ProxyKey] = "false", "address-overlap", CheckResult.Warn,
            "gateways gw-cloud and gw-hangzhou share node IPs: node IP 10.0.0.1 of cloud-1 and of hz-4: L3 cannot route to them and L7 cannot reach them by name either (enable-l7-proxy is off)"),
        ["node IPs overlap, one domain without a proxy endpoint"] = (f => SharedNodeIp(f).Cluster.GatewayNamed("gw-hangzhou").Status.ActiveEndpoints!.RemoveAll(e => e.Type == WellKnown.EndpointTypeProxy),
            "address-overlap", CheckResult.Warn, "(gw-hangzhou has no active proxy endpoint)"),

        ["endpoint names a missing node"] = (f => f.Cluster.GatewayNamed("gw-hangzhou").Spec.Endpoints!.Add(Tunnel("hz-9")), "endpoint-nodes", CheckResult.Fail,
            "gateway gw-hangzhou: tunnel endpoint hz-9: there is no node hz-9"),
        ["endpoint names another domain's node"] = (f => f.Cluster.GatewayNamed("gw-cloud").Spec.Endpoints!.Add(Tunnel("hz-4")), "endpoint-nodes", CheckResult.Fail,
            "gateway gw-cloud: tunnel endpoint hz-4: node hz-4 is labelled raven.openyurt.io/gateway=gw-hangzhou, so it is never elected here"),
        ["endpoint names a node in no domain"] = (f => { f.Cluster.Node("edge-1", null, "192.168.9.1").Lease("edge-1"); f.Cluster.GatewayNamed("gw-cloud").Spec.Endpoints!.Add(Proxy("edge-1")); },
            "endpoint-nodes", CheckResult.Fail, "gateway gw-cloud: proxy endpoint edge-1: node edge-1 is not a member (no raven.openyurt.io/gateway label), so it is never elected"),
        ["active endpoint NotReady"] = (f => NotReady(f, "hz-1"), "endpoint-nodes", CheckResult.Fail, "gateway gw-hangzhou: tunnel endpoint hz-1: node hz-1 is NotReady and still active"),
        ["candidate NotReady"] = (f => NotReady(f, "hz-3"), "endpoint-nodes", CheckResult.Warn, "gateway gw-hangzhou: tunnel endpoint hz-3: node hz-3 is NotReady: it cannot take over"),

        ["no active tunnel with L3 on"] = (f => f.Cluster.GatewayNamed("gw-hangzhou").Status.ActiveEndpoints!.RemoveAll(e => e.Type == "tunnel"), "active-endpoints", CheckResult.Fail,
            "gateway gw-hangzhou: no active tunnel endpoint in status, though spec lists 3 and enable-l3-tunnel is true"),
        ["no active tunnel with L3 off"] = (f => { f.Cluster.GatewayNamed("gw-hangzhou").Status.ActiveEndpoints!.RemoveAll(e => e.Type == "tunnel"); f.Cluster.RavenCfg![WellKnown.EnableL3TunnelKey] = "false"; },
            "active-endpoints", CheckResult.Pass, "2 Gateway(s)"),
        ["no active proxy with L7 on"] = (f => f.Cluster.GatewayNamed("gw-cloud").Status.ActiveEndpoints!.RemoveAll(e => e.Type == "proxy"), "active-endpoints", CheckResult.Warn,
            "gateway gw-cloud: no active proxy endpoint in status"),
        ["gateway without endpoints"] = (f => f.Cluster.Gateway("gw-empty", null, 1, 1, [], []), "active-endpoints", CheckResult.Warn, "gateway gw-empty: no active endpoint in status: spec.endpoints is empty"),

        ["no agent lease"] = (f => f.Cluster.NoLease("hz-4"), "agent-leases", CheckResult.Warn, "node hz-4: no agent Lease kube-system/raven-agent-hz-4"),
        ["agent lease late"] = (f => f.Cluster.Lease("hz-4", renewedAgo: 30, duration: 15), "agent-leases", CheckResult.Warn,
            "node hz-4: agent Lease kube-system/raven-agent-hz-4 expired, last renewed 30 s ago (duration 15 s)"),
        ["agent lease three durations old"] = (f => f.Cluster.Lease("hz-4", renewedAgo: 46, duration: 15), "agent-leases", CheckResult.Fail,
            "node hz-4: agent Lease kube-system/raven-agent-hz-4 last renewed 46 s ago (duration 15 s): the agent is gone"),

        ["raven-cfg missing"] = (f => f.Cluster.RavenCfg = null, "raven-cfg", CheckResult.Fail, "kube-system/raven-cfg is missing"),
        ["raven-cfg says yes"] = (f => f.Cluster.RavenCfg![WellKnown.EnableL3TunnelKey] = "yes", "raven-cfg", CheckResult.Fail,
            "kube-system/raven-cfg enable-l3-tunnel: \"yes\" is neither \"true\" nor \"false\": read as false"),
        ["raven-cfg without a key"] = (f => f.Cluster.RavenCfg!.Remove(WellKnown.EnableL7ProxyKey), "raven-cfg", CheckResult.Warn, "kube-system/raven-cfg has no enable-l7-proxy: read as false"),
        ["raven-cfg all off"] = (f => { f.Cluster.RavenCfg![WellKnown.EnableL3TunnelKey] = "false"; f.Cluster.RavenCfg[WellKnown.EnableL7ProxyKey] = "false"; },
            "raven-cfg", CheckResult.Warn, "switches both L3 and L7 off"),
        ["raven-cfg in capitals"] = (f => f.Cluster.RavenCfg![WellKnown.EnableL3TunnelKey] = "True", "raven-cfg", CheckResult.Pass, "enable-l3-tunnel true, enable-l7-proxy true"),

        ["raven-agent-config missing"] = (f => f.AgentConfig = null, "raven-agent-config", CheckResult.Warn, "kube-system/raven-agent-config is missing: agents run on their defaults (vpn-driver wireguard)"),
        ["unknown vpn-driver"] = (f => f.AgentConfig!["vpn-driver"] = "openvpn", "raven-agent-config", CheckResult.Fail, "vpn-driver: \"openvpn\" is not a VPN driver"),
        ["vpn-driver alias"] = (f => f.AgentConfig!["vpn-driver"] = "libreswan", "raven-agent-config", CheckResult.Pass, "vpn-driver libreswan"),

        ["IPsec without the Secret"] = (f => { f.AgentConfig!["vpn-driver"] = "ipsec"; f.SecretKeys = null; }, "psk", CheckResult.Fail,
            "Secret kube-system/raven-agent-secret is missing: the ipsec backend needs it, so its agents refuse to start"),
        ["IPsec without the key"] = (f => { f.AgentConfig!["vpn-driver"] = "libreswan"; f.SecretKeys = ["other"]; }, "psk", CheckResult.Fail,
            "Secret kube-system/raven-agent-secret has no vpn-connection-psk: the ipsec backend needs it"),
        ["IPsec with the key"] = (f => f.AgentConfig!["vpn-driver"] = "ipsec", "psk", CheckResult.Pass, "holds vpn-connection-psk (value not shown); backend ipsec"),
        ["WireGuard without the Secret"] = (f => f.SecretKeys = null, "psk", CheckResult.Warn, "Secret kube-system/raven-agent-secret is missing: not needed by the wireguard backend"),
        ["Secret unreadable"] = (f => { f.SecretKeys = null; f.Unreadable["secret"] = "403 Forbidden"; }, "psk", CheckResult.Warn, "cannot read Secret kube-system/raven-agent-secret: 403 Forbidden"),

        ["webhook CA expired"] = (f => f.Webhooks![0] = Webhook("ValidatingWebhookConfiguration", CaBundle(Now.AddDays(-400), Now.AddDays(-3))), "webhooks", CheckResult.Fail,
            "caBundle certificate raven-webhook-ca expired "),
        ["webhook CA expiring"] = (f => f.Webhooks![1] = Webhook("MutatingWebhookConfiguration", CaBundle(Now.AddDays(-300), Now.AddDays(10).AddHours(1))), "webhooks", CheckResult.Warn,
            "in 10 day(s)"),
        ["webhook CA not yet valid"] = (f => f.Webhooks![1] = Webhook("MutatingWebhookConfiguration", CaBundle(Now.AddDays(2), Now.AddDays(300))), "webhooks", CheckResult.Fail, "is not valid before"),
        ["webhook without caBundle"] = (f => f.Webhooks![0] = Webhook("ValidatingWebhookConfiguration", null), "webhooks", CheckResult.Fail, "no caBundle: the API server cannot verify the webhook"),
        ["webhook caBundle not PEM"] = (f => f.Webhooks![0] = Webhook("ValidatingWebhookConfiguration", "not a certificate"u8.ToArray()), "webhooks", CheckResult.Fail, "caBundle holds no PEM certificate"),
        ["no validating webhook"] = (f => f.Webhooks!.RemoveAt(0), "webhooks", CheckResult.Warn, "no ValidatingWebhookConfiguration for raven.openyurt.io: Gateways are written without validation"),
        ["another group's webhook does not count"] = (f => f.Webhooks![0] = Webhook("ValidatingWebhookConfiguration", null, group: "apps"), "webhooks", CheckResult.Warn,
            "no ValidatingWebhookConfiguration for raven.openyurt.io"),
        ["conversion webhook CA expired"] = (f => f.Crd!.Spec.Conversion = new V1CustomResourceConversion
            {
                Strategy = "Webhook",
                Webhook = new V1WebhookConversion { ConversionReviewVersions = ["v1"], ClientConfig = new Apiextensionsv1WebhookClientConfig { CaBundle = CaBundle(Now.AddDays(-400), Now.AddDays(-1)) } },
            }, "webhooks", CheckResult.Fail, "CustomResourceDefinition gateways.raven.openyurt.io conversion webhook: caBundle certificate raven-webhook-ca expired"),
        ["webhook Service missing"] = (f => f.WebhookServiceEndpoints[WebhookService] = null, "webhooks", CheckResult.Fail,
            "Service kube-system/raven-controller-webhook (called by raven-controller-mutatingwebhookconfiguration, raven-controller-validatingwebhookconfiguration) does not exist"),
        ["webhook Service without ready endpoints"] = (f => f.WebhookServiceEndpoints[WebhookService] = 0, "webhooks", CheckResult.Fail,
            "has no ready endpoint: Gateway writes fail while no raven-controller serves the webhook"),
        ["webhook Services unreadable"] = (f => f.Unreadable["webhook-services"] = "403 Forbidden", "webhooks", CheckResult.Warn, "cannot read the webhooks' Services or EndpointSlices: 403 Forbidden"),
        ["webhook not callable"] = (f => f.WebhookDryRuns[0] = new(WellKnown.V1Beta1, Admitted: false, 500,
                "Internal error occurred: failed calling webhook \"gateway.raven.openyurt.io\": tls: failed to verify certificate: x509: certificate signed by unknown authority"),
            "webhooks", CheckResult.Fail, "the API server cannot call the webhook: a dry-run create of a v1beta1 Gateway got 500: Internal error occurred: failed calling webhook"),
        ["conversion webhook failing"] = (f => f.WebhookDryRuns.Add(new(WellKnown.V1Alpha1, Admitted: false, 500, "conversion webhook for raven.openyurt.io/v1alpha1, Kind=Gateway failed: connection refused")),
            "webhooks", CheckResult.Fail, "a dry-run create of a v1alpha1 Gateway got 500: conversion webhook"),
        ["webhook denies a minimal Gateway"] = (f => f.WebhookDryRuns[0] = new(WellKnown.V1Beta1, Admitted: false, 400, "admission webhook \"policy.example.com\" denied the request: label team is required"),
            "webhooks", CheckResult.Warn, "a webhook answered but denied a minimal Gateway"),
        ["may not create Gateways"] = (f => f.WebhookDryRuns[0] = new(WellKnown.V1Beta1, Admitted: false, 403, "gateways.raven.openyurt.io is forbidden: User \"viewer\" cannot create resource"),
            "webhooks", CheckResult.Warn, "cannot test the webhooks: a dry-run create of a v1beta1 Gateway got 403"),
        ["no admissionregistration (embedded server)"] = (f => f.Webhooks = null, "webhooks", CheckResult.Pass, "the API server serves no admissionregistration.k8s.io"),

        ["mixed VPN drivers"] = (f => { Publish(f, "gw-cloud", "cloud-1", "ipsec"); Publish(f, "gw-hangzhou", "hz-1", "wireguard"); }, "vpn-drivers", CheckResult.Fail,
            "gateways run different VPN drivers (gw-cloud ipsec, gw-hangzhou wireguard)"),
        ["driver other than raven-agent-config's"] = (f => { Publish(f, "gw-cloud", "cloud-1", "ipsec"); Publish(f, "gw-hangzhou", "hz-1", "ipsec"); }, "vpn-drivers", CheckResult.Warn,
            "gateway gw-cloud runs ipsec, but raven-agent-config says wireguard"),
        ["one VPN driver"] = (f => { Publish(f, "gw-cloud", "cloud-1", "wireguard"); Publish(f, "gw-hangzhou", "hz-1", "wireguard"); }, "vpn-drivers", CheckResult.Pass,
            "2 gateway(s) publish one VPN driver: wireguard"),

        ["tunnel connection down"] = (f => f.Cluster.Connections("hz-1", Connected("gw-cloud", "cloud-1", state: "connecting")), "tunnel-handshakes", CheckResult.Fail,
            "gw-hangzhou (hz-1) → gw-cloud (cloud-1): connection hz-1 → cloud-1 is connecting"),
        ["tunnel handshake too old"] = (f => f.Cluster.Connections("cloud-1", Connected("gw-hangzhou", "hz-1", handshakeAgo: 181)), "tunnel-handshakes", CheckResult.Fail,
            "gw-cloud (cloud-1) → gw-hangzhou (hz-1): last handshake cloud-1 → hz-1 181 s ago"),
        ["no connection report"] = (f => f.Cluster.Connections("cloud-1", null), "tunnel-handshakes", CheckResult.Warn,
            "node cloud-1: active tunnel endpoint of gw-cloud publishes no connection report"),
        ["tunnels up"] = (f => { }, "tunnel-handshakes", CheckResult.Pass, "2 tunnel pair(s) between serving endpoints up, handshakes younger than 3 min"),
        ["underlay device below the planned underlay MTU"] = (f => f.Mtu("hz-4", m => m with { UnderlayDeviceMtu = 1400 }), "mtu", CheckResult.Fail,
            "node hz-4 (eth0): underlay device MTU 1400, below the underlay MTU 1500 the agent plans with: full-size VXLAN and tunnel packets are fragmented or dropped"),
        ["raven0 below the route MTU"] = (f => f.Mtu("hz-3", m => m with { VxlanDeviceMtu = 1400 }), "mtu", CheckResult.Fail,
            "node hz-3 (raven0): device MTU 1400, below the planned route MTU 1440: packets the routes allow are dropped there"),
        ["tunnel device below the route MTU"] = (f => f.Mtu("hz-1", m => m with { TunnelDeviceMtu = 1420 }), "mtu", CheckResult.Fail,
            "node hz-1 (raven-wg0): device MTU 1420, below the planned route MTU 1440"),
        ["route MTUs differ"] = (f => f.Mtu("cloud-1", m => m with { PlannedRouteMtu = 1420, TunnelDeviceMtu = 1420 }), "mtu", CheckResult.Warn,
            "route MTUs differ between nodes: 1440 on 4 nodes hz-1, hz-2, hz-3, hz-4; 1420 on node cloud-1: the path MTU depends on direction and domain"),
        ["an older agent beside current ones"] = (f => f.Mtu("hz-4", (MtuReport?)null), "mtu", CheckResult.Pass,
            "4 node(s) report route MTU 1440; underlay devices ≥ 1500 (1 older agent(s) report no MTUs: hz-4)"),
        ["no agent reports MTUs"] = (f => f.Cluster.Nodes.ForEach(n => f.Mtu(n.Metadata.Name, (MtuReport?)null)), "mtu", CheckResult.Warn,
            "no agent reports its MTUs (5 agent(s) too old to publish raven.openyurt.io/data-plane mtu): MTUs cannot be checked"),
        ["an expired lease's MTUs do not count"] = (f => { f.Mtu("hz-4", m => m with { UnderlayDeviceMtu = 1400 }); f.Cluster.Leases.Single(l => l.Metadata.Name == "raven-agent-hz-4").Spec.RenewTime = Now.AddMinutes(-5).UtcDateTime; },
            "mtu", CheckResult.Pass, "4 node(s) report route MTU 1440; underlay devices ≥ 1500"),
        ["MTUs consistent"] = (f => { }, "mtu", CheckResult.Pass, "5 node(s) report route MTU 1440; underlay devices ≥ 1500"),
        ["lease renewed in the future"] = (f => f.Cluster.Lease("hz-4", renewedAgo: -12), "clock-skew", CheckResult.Warn, "node hz-4: agent Lease raven-agent-hz-4 was renewed 12 s in the future"),
        ["lease a little ahead"] = (f => f.Cluster.Lease("hz-4", renewedAgo: -3), "clock-skew", CheckResult.Pass, "no agent Lease renewed more than 5 s in the future"),
    };

    [Theory]
    [MemberData(nameof(Situations))]
    public void Each_situation_shows_its_result(string situation)
    {
        var (change, check, status, message) = Cases[situation];
        var fixture = new DiagnoseFixture();
        change(fixture);

        var report = fixture.Run();

        var results = report.Results.Where(r => r.Check == check).ToList();
        results.Should().Contain(r => r.Status == status && r.Message.Contains(message, StringComparison.Ordinal),
            string.Join("\n", report.Results.Select(r => $"{r.Status} {r.Check} {r.Message}")));
        var found = results.First(r => r.Status == status && r.Message.Contains(message, StringComparison.Ordinal));
        if (status == CheckResult.Pass)
        {
            results.Should().ContainSingle();
            found.Remedy.Should().BeNull();
        }
        else
        {
            found.Remedy.Should().NotBeNullOrWhiteSpace().And.NotContain("\n");
            report.Results.Select(r => r.Check).Distinct().Should().Equal(CheckOrder, "every check still reports, in order");
        }

        report.ExitCode.Should().Be(report.Results.Any(r => r.Status == CheckResult.Fail) ? 1 : 0);
    }

    [Fact]
    public void A_small_underlay_device_names_the_config_key_and_the_smallest_MTU_observed()
    {
        var fixture = new DiagnoseFixture().Mtu("hz-4", m => m with { UnderlayDeviceMtu = 1400 }).Mtu("hz-3", m => m with { UnderlayDevice = "ens5", UnderlayDeviceMtu = 1450 });

        var fails = fixture.Run().Results.Where(r => r.Check == "mtu" && r.Status == CheckResult.Fail).ToList();

        fails.Select(f => f.Message[..f.Message.IndexOf(':', StringComparison.Ordinal)]).Should().Equal("node hz-4 (eth0)", "node hz-3 (ens5)");
        fails.Should().OnlyContain(f => f.Remedy!.StartsWith("set underlay-mtu: \"1400\" in kube-system/raven-agent-config", StringComparison.Ordinal));
        fails[1].Remedy.Should().EndWith("or raise the devices' MTU to 1500");
    }

    [Fact]
    public void An_underlay_too_small_for_underlay_mtu_asks_for_a_bigger_device_instead()
    {
        var fixture = new DiagnoseFixture().Mtu("hz-4", m => m with { UnderlayDeviceMtu = 1200 });

        var fail = fixture.Run().Results.Single(r => r.Check == "mtu" && r.Status == CheckResult.Fail);

        fail.Remedy.Should().Be("raise the devices' MTU to at least 1280 (underlay-mtu in kube-system/raven-agent-config goes no lower), better to 1500");
    }

    [Fact]
    public void A_thousand_nodes_with_one_problem_make_one_readable_line()
    {
        var fixture = new DiagnoseFixture();
        for (var i = 0; i < 1000; i++)
        {
            var node = $"edge-{i:D4}";
            fixture.Cluster.Node(node, "gw-hangzhou", $"172.17.{i / 250}.{i % 250 + 1}").Lease(node, report: Report(null, ("gw-hangzhou", "hz-1")));
            fixture.Mtu(node, DiagnoseFixture.HealthyMtu("172.17.0.1", gateway: false) with { UnderlayDeviceMtu = 1400, PlannedRouteMtu = i < 10 ? 1380 : 1440 });
        }

        var results = fixture.Run().Results.Where(r => r.Check == "mtu").ToList();

        results.Select(r => r.Status).Should().Equal(CheckResult.Fail, CheckResult.Warn);
        results[0].Message.Should().StartWith("1000 nodes edge-0000 (eth0), edge-0001 (eth0), edge-0002 (eth0), edge-0003 (eth0), edge-0004 (eth0) and 995 more: underlay device MTU 1400");
        results[1].Message.Should().StartWith("route MTUs differ between nodes: 1440 on 995 nodes cloud-1, edge-0010, edge-0011, edge-0012, edge-0013 and 990 more; 1380 on 10 nodes edge-0000");
        results.Should().OnlyContain(r => r.Message.Length < 400);
    }

    /// <summary>hz-4 gets cloud-1's node IP (its own pod CIDR keeps the pod CIDRs apart).</summary>
    private static DiagnoseFixture SharedNodeIp(DiagnoseFixture f)
    {
        f.Cluster.Node("hz-4", "gw-hangzhou", "10.0.0.1").Nodes.Last().Spec = new V1NodeSpec { PodCIDR = "10.244.9.0/24" };
        return f;
    }

    private static void NotReady(DiagnoseFixture f, string node)
    {
        f.Cluster.Nodes.Single(n => n.Metadata.Name == node).Status.Conditions = [new V1NodeCondition { Type = "Ready", Status = "False" }];
    }

    /// <summary>What an agent on an active tunnel endpoint writes: the VPN driver it runs, in the endpoint's config.</summary>
    private static void Publish(DiagnoseFixture f, string gateway, string node, string driver)
    {
        var active = f.Cluster.GatewayNamed(gateway).Status.ActiveEndpoints!.Single(e => e.NodeName == node && e.Type == WellKnown.EndpointTypeTunnel);
        active.Config = new Dictionary<string, string> { [WellKnown.VpnDriverConfigKey] = driver };
    }
}
