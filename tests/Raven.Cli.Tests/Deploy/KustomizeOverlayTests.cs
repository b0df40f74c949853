using System.Text.Json.Nodes;
using Raven.Agent.Engine;
using Raven.Cli.Commands;
using static Raven.Cli.Tests.Deploy.RenderedOverlay;

namespace Raven.Cli.Tests.Deploy;

/// <summary>Every overlay renders with kubectl's kustomize and says what docs/install.md promises.</summary>
public class KustomizeOverlayTests
{
    private static readonly string[] ClusterScoped =
    [
        "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    ];

    public static TheoryData<string> Overlays() => new(Names);

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Renders_the_components_with_every_namespaced_object_in_kube_system(string overlay)
    {
        var rendered = await RenderAsync(overlay);

        var kinds = rendered.Objects.Select(o => Text(o, "kind")).Distinct().ToList();
        kinds.Should().Contain(["CustomResourceDefinition", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
            "ConfigMap", "DaemonSet", "Deployment", "Service"]);
        var admission = new[] { "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "PodDisruptionBudget" };
        if (overlay == "lab")
        {
            kinds.Should().NotContain(admission, "the lab's API server admits Gateways in-process and serves no policy/v1");
        }
        else
        {
            kinds.Should().Contain(admission);
        }

        rendered.Objects.Where(o => !ClusterScoped.Contains(Text(o, "kind")))
            .Should().OnlyContain(o => Text(o["metadata"], "namespace") == "kube-system");
        rendered.OfKind("Secret").Should().BeEmpty("the PSK and the webhook certificate are made per cluster, never shipped");
        rendered.Single("DaemonSet", "raven-agent-ds");
        rendered.Single("Deployment", "raven-controller");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_agent_is_host_network_with_net_admin_and_net_raw_only(string overlay)
    {
        var ds = (await RenderAsync(overlay)).Single("DaemonSet", "raven-agent-ds");
        var pod = ds["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]!.AsArray().Single()!;
        var security = container["securityContext"]!;

        ds["spec"]!["selector"]!["matchLabels"]!["app"]!.GetValue<string>().Should().Be("raven-agent");
        pod["hostNetwork"]!.GetValue<bool>().Should().BeTrue();
        pod["serviceAccountName"]!.GetValue<string>().Should().Be("raven-agent-account");
        security["privileged"]?.GetValue<bool>().Should().NotBe(true);
        security["allowPrivilegeEscalation"]!.GetValue<bool>().Should().BeFalse();
        Strings(security["capabilities"]!["drop"]).Should().Equal("ALL");
        Strings(security["capabilities"]!["add"]).Should().BeEquivalentTo("NET_ADMIN", "NET_RAW");
        pod["hostPID"].Should().BeNull();
        pod["tolerations"]!.AsArray().Should().ContainSingle(t => t!["operator"]!.GetValue<string>() == "Exists" && t["key"] == null);
        ds["spec"]!["updateStrategy"]!["rollingUpdate"]!["maxUnavailable"]!.GetValue<long>().Should().Be(1);
        // The agent detaches within 2 s of SIGTERM (its help says so); the grace period must cover that.
        pod["terminationGracePeriodSeconds"]!.GetValue<long>().Should().BeInRange(3, 30);

        var hostPaths = pod["volumes"]!.AsArray().Where(v => v!["hostPath"] is not null)
            .ToDictionary(v => v!["hostPath"]!["path"]!.GetValue<string>(), v => Text(v!["hostPath"], "type"));
        var expected = new Dictionary<string, string?>
        {
            ["/var/lib/raven"] = "DirectoryOrCreate",
            ["/run/xtables.lock"] = "FileOrCreate",
            ["/dev/net/tun"] = "CharDevice",
        };
        if (overlay == "lab")
        {
            // The lab keeps wireguard-go (its stand-in for kernel WireGuard) across agent pods: the socket directory is the node's.
            expected["/var/run/wireguard"] = "DirectoryOrCreate";
        }

        hostPaths.Should().Equal(expected);
        container["volumeMounts"]!.AsArray().Select(m => Text(m, "mountPath")).Should().Contain(["/var/lib/raven", "/run/xtables.lock", "/dev/net/tun"]);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_agent_gets_node_name_ip_and_psk_from_the_downward_api_and_the_secret(string overlay)
    {
        var container = (await RenderAsync(overlay)).Single("DaemonSet", "raven-agent-ds")["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var env = container["env"]!.AsArray().ToDictionary(e => Text(e, "name")!, e => e!["valueFrom"]!);

        env.Keys.Should().BeEquivalentTo("NODE_NAME", "NODE_IP", "VPN_CONNECTION_PSK", "VPN_DRIVER");
        var driver = env["VPN_DRIVER"]["configMapKeyRef"]!;
        (Text(driver, "name"), Text(driver, "key")).Should().Be(("raven-agent-config", "vpn-driver"), "the agent runs the backend raven-agent-config names");
        Strings(container["args"]).Should().Contain("--vpn-driver=$(VPN_DRIVER)");
        env["NODE_NAME"]["fieldRef"]!["fieldPath"]!.GetValue<string>().Should().Be("spec.nodeName");
        env["NODE_IP"]["fieldRef"]!["fieldPath"]!.GetValue<string>().Should().Be("status.hostIP");
        var psk = env["VPN_CONNECTION_PSK"]["secretKeyRef"]!;
        Text(psk, "name").Should().Be("raven-agent-secret");
        Text(psk, "key").Should().Be("vpn-connection-psk");
        psk["optional"]!.GetValue<bool>().Should().Be(overlay != "ipsec", "IPsec cannot run without the PSK; WireGuard uses it when present");
        container["env"]!.AsArray().Should().OnlyContain(e => e!["value"] == null, "no constant in the manifest, least of all a PSK");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_agent_probes_its_health_port_and_takes_only_flags_it_knows(string overlay)
    {
        var container = (await RenderAsync(overlay)).Single("DaemonSet", "raven-agent-ds")["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var args = Strings(container["args"]);

        args[0].Should().Be("agent");
        var known = AgentOptionsParser.KnownFlags.Concat(AgentProxyFlags.Help.Keys).ToList();
        args.Skip(1).Select(a => a.TrimStart('-').Split('=')[0]).Should().OnlyContain(flag => known.Contains(flag));
        args.Should().Contain("--health-probe-addr=:10275");
        container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>().Should().Be("/healthz");
        container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>().Should().Be("/readyz");
        container["livenessProbe"]!["httpGet"]!["port"]!.GetValue<long>().Should().Be(10275);
        container["readinessProbe"]!["httpGet"]!["port"]!.GetValue<long>().Should().Be(10275);
        container["resources"]!["requests"].Should().NotBeNull();
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_controller_runs_two_leader_elected_replicas_with_probes_and_webhooks(string overlay)
    {
        var rendered = await RenderAsync(overlay);
        var deployment = rendered.Single("Deployment", "raven-controller");
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var args = Strings(container["args"]);

        deployment["spec"]!["replicas"]!.GetValue<long>().Should().Be(2);
        args[0].Should().Be("controller");
        args.Should().Contain("--leader-elect=true").And.Contain("--health-probe-addr=0.0.0.0:10272");
        ControllerCommand.Create().Parse(args.Skip(1).ToArray()).Errors.Should().BeEmpty();
        pod["serviceAccountName"]!.GetValue<string>().Should().Be("raven-controller");
        pod["securityContext"]!["runAsNonRoot"]!.GetValue<bool>().Should().BeTrue();
        Strings(container["securityContext"]!["capabilities"]!["drop"]).Should().Equal("ALL");
        container["securityContext"]!["capabilities"]!["add"].Should().BeNull();
        container["livenessProbe"]!["httpGet"]!["port"]!.GetValue<long>().Should().Be(10272);
        container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>().Should().Be("/readyz");
        container["resources"]!["limits"]!["memory"].Should().NotBeNull();
        var podLabels = pod.Parent!["metadata"]!["labels"]!.AsObject();
        if (overlay == "lab")
        {
            args.Should().NotContain(a => a.StartsWith("--webhook-", StringComparison.Ordinal));
            return;
        }

        args.Should().Contain("--webhook-bind-addr=0.0.0.0:10273").And.Contain("--webhook-cert-dir=/etc/raven/webhook-certs");
        pod["volumes"]![0]!["secret"]!["secretName"]!.GetValue<string>().Should().Be("raven-controller-webhook-certs");
        var pdb = rendered.Single("PodDisruptionBudget", "raven-controller");
        pdb["spec"]!["minAvailable"]!.GetValue<long>().Should().Be(1);
        Selects(pdb["spec"]!["selector"]!["matchLabels"]!.AsObject(), podLabels).Should().BeTrue();
        var webhook = rendered.Single("Service", "raven-controller-webhook");
        Selects(webhook["spec"]!["selector"]!.AsObject(), podLabels).Should().BeTrue();
        webhook["spec"]!["ports"]![0]!["targetPort"]!.GetValue<long>().Should().Be(10273);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Metrics_services_select_the_pods_that_serve_them(string overlay)
    {
        var rendered = await RenderAsync(overlay);
        var agentLabels = rendered.Single("DaemonSet", "raven-agent-ds")["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var controllerLabels = rendered.Single("Deployment", "raven-controller")["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var agent = rendered.Single("Service", "raven-agent-metrics");
        var controller = rendered.Single("Service", "raven-controller-metrics");

        Selects(agent["spec"]!["selector"]!.AsObject(), agentLabels).Should().BeTrue();
        agent["spec"]!["ports"]![0]!["port"]!.GetValue<long>().Should().Be(10265);
        Selects(controller["spec"]!["selector"]!.AsObject(), controllerLabels).Should().BeTrue();
        controller["spec"]!["ports"]![0]!["targetPort"]!.GetValue<long>().Should().Be(10272);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Config_maps_carry_upstreams_keys_as_strings(string overlay)
    {
        var rendered = await RenderAsync(overlay);
        var cfg = rendered.Single("ConfigMap", "raven-cfg")["data"]!.AsObject();
        var agent = rendered.Single("ConfigMap", "raven-agent-config")["data"]!.AsObject();

        cfg.Select(p => p.Key).Should().BeEquivalentTo("enable-l3-tunnel", "enable-l7-proxy");
        agent.Select(p => p.Key).Should().BeEquivalentTo("vpn-driver", "forward-node-ip", "nat-traversal", "metric-bind-addr",
            "tunnel-bind-addr", "proxy-external-addr", "proxy-internal-insecure-addr", "proxy-internal-secure-addr");
        cfg.Concat(agent).Should().OnlyContain(p => p.Value!.GetValueKind() == System.Text.Json.JsonValueKind.String);
        agent["vpn-driver"]!.GetValue<string>().Should().Be(overlay == "ipsec" ? "libreswan" : "wireguard");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Rbac_names_resources_and_verbs_exactly(string overlay)
    {
        var rendered = await RenderAsync(overlay);
        var rules = rendered.OfKind("ClusterRole").Concat(rendered.OfKind("Role"))
            .SelectMany(r => r["rules"]!.AsArray().Select(rule => (Role: Text(r["metadata"], "name"), Rule: rule!))).ToList();

        rules.Should().OnlyContain(r => !Strings(r.Rule["verbs"]).Contains("*") && !Strings(r.Rule["resources"]).Contains("*") && !Strings(r.Rule["apiGroups"]).Contains("*"));
        rules.Should().OnlyContain(r => !Strings(r.Rule["resources"]).Contains("secrets"), "no component reads a Secret through the API");
        rules.Where(r => r.Role!.StartsWith("raven-agent", StringComparison.Ordinal))
            .Should().OnlyContain(r => !Strings(r.Rule["verbs"]).Contains("delete") && !Strings(r.Rule["verbs"]).Contains("patch"));
        var bindings = rendered.OfKind("ClusterRoleBinding").Concat(rendered.OfKind("RoleBinding")).ToList();
        bindings.Select(b => Text(b["roleRef"], "name")).Should().BeEquivalentTo(
            ["raven-agent-role", "raven-agent-role", "raven-proxy-user", "raven-controller-role", "raven-controller-role"]);
        bindings.SelectMany(b => b["subjects"]!.AsArray()).Select(s => $"{Text(s, "kind")}:{Text(s, "namespace")}/{Text(s, "name")}").Distinct()
            .Should().BeEquivalentTo("ServiceAccount:kube-system/raven-agent-account", "ServiceAccount:kube-system/raven-controller", "User:/tunnel-proxy-client");
    }

    [Fact]
    public async Task Every_overlay_has_the_same_rbac_as_the_default()
    {
        var reference = Rbac(await RenderAsync("default"));
        foreach (var overlay in Names.Where(n => n != "default"))
        {
            Rbac(await RenderAsync(overlay)).Should().Be(reference, overlay);
        }
    }

    [Fact]
    public async Task Cert_manager_overlay_issues_the_webhook_secret_and_injects_every_ca_bundle()
    {
        var rendered = await RenderAsync("cert-manager");
        var certificate = rendered.Single("Certificate", "raven-controller-webhook");

        Text(certificate["spec"], "secretName").Should().Be("raven-controller-webhook-certs");
        Strings(certificate["spec"]!["dnsNames"]).Should().Contain("raven-controller-webhook.kube-system.svc");
        foreach (var kind in new[] { "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "CustomResourceDefinition" })
        {
            rendered.OfKind(kind).Single()["metadata"]!["annotations"]!["cert-manager.io/inject-ca-from"]!.GetValue<string>()
                .Should().Be("kube-system/raven-controller-webhook");
        }
    }

    private static string Rbac(RenderedOverlay rendered) => string.Join("\n",
        rendered.Objects.Where(o => Text(o, "apiVersion")!.StartsWith("rbac.", StringComparison.Ordinal)).Select(o => o.ToJsonString()).Order(StringComparer.Ordinal));

    private static bool Selects(JsonObject selector, JsonObject labels) =>
        selector.All(p => labels[p.Key]?.GetValue<string>() == p.Value!.GetValue<string>());
}
