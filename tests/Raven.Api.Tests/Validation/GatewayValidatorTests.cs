using Raven.Api.Defaulting;
using Raven.Api.V1Beta1;
using Raven.Api.Validation;

namespace Raven.Api.Tests.Validation;

public class GatewayValidatorTests
{
    private static ValidationResult Validate(Gateway gateway)
    {
        GatewayDefaults.Apply(gateway);
        return GatewayValidator.ValidateCreate(gateway);
    }

    private static FieldError SingleError(Gateway gateway)
    {
        var result = Validate(gateway);
        result.Errors.Should().ContainSingle();
        return result.Errors[0];
    }

    /// <summary>Accepted, with exactly one warning: what a rule stricter than OpenYurt's gives.</summary>
    private static FieldError SingleWarning(Gateway gateway)
    {
        var result = Validate(gateway);
        result.Errors.Should().BeEmpty();
        result.Warnings.Should().ContainSingle();
        return result.Warnings[0];
    }

    [Fact]
    public void A_well_formed_gateway_is_valid_without_warnings()
    {
        var result = Validate(GatewayBuilder.Valid());

        result.IsValid.Should().BeTrue();
        result.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Rule1_expose_type_must_be_known()
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.ExposeType = "NodePort";
        gateway.Spec.Endpoints!.ForEach(e => e.UnderNAT = false);

        var error = SingleError(gateway);

        error.Path.Should().Be("spec.exposeType");
        error.BadValue.Should().Be("NodePort");
        error.ToString().Should().StartWith("spec.exposeType: Unsupported value: \"NodePort\"");
    }

    [Theory]
    [InlineData("PublicIP")]
    [InlineData("LoadBalancer")]
    public void Rule2_exposed_gateways_cannot_be_under_nat(string exposeType)
    {
        var gateway = GatewayBuilder.Valid("gw-cloud");
        gateway.Spec.ExposeType = exposeType;

        var errors = Validate(gateway).Errors;

        errors.Select(e => e.Path).Should().Equal("spec.endpoints[0].underNAT", "spec.endpoints[1].underNAT");
        errors[0].Detail.Should().Contain("gw-cloud").And.Contain(exposeType);
    }

    [Fact]
    public void Rule3_tunnel_replicas_above_one_cannot_exceed_tunnel_endpoints()
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.TunnelConfig.Replicas = 2;

        var error = SingleError(gateway);

        error.Path.Should().Be("spec.tunnelConfig.Replicas");
        error.BadValue.Should().Be("2", "the offending value is the replica count, not the expose type (upstream #2637)");
        error.Detail.Should().Contain("endpoint(s) of type tunnel");
    }

    [Fact]
    public void Tunnel_replicas_above_one_elect_hot_standbys_when_enough_tunnel_endpoints_are_listed()
    {
        // Our extension: upstream's webhook refuses any tunnel Replicas above 1.
        var gateway = GatewayBuilder.Valid();
        var second = GatewayBuilder.Endpoint("node-standby", "tunnel", underNat: gateway.Spec.Endpoints![0].UnderNAT);
        gateway.Spec.Endpoints = [.. gateway.Spec.Endpoints, second];
        gateway.Spec.TunnelConfig.Replicas = 2;

        Validate(gateway).Errors.Should().BeEmpty();
    }

    [Fact]
    public void Rule4_more_than_one_proxy_replica_cannot_exceed_proxy_endpoints()
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.ProxyConfig.Replicas = 2;

        var error = SingleError(gateway);

        error.Path.Should().Be("spec.proxyConfig.Replicas");
        error.BadValue.Should().Be("2");
        error.Detail.Should().Contain("only 1 endpoint(s) of type proxy");
    }

    [Fact]
    public void Several_proxy_replicas_within_the_proxy_endpoints_are_valid_without_warnings()
    {
        // L7 proxy HA: every proxy endpoint of an edge domain runs a proxy client, of an exposed one a server.
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.ProxyConfig.Replicas = 2;
        gateway.Spec.Endpoints!.Add(GatewayBuilder.Endpoint("node-b", WellKnown.EndpointTypeProxy, underNat: true));

        var result = Validate(gateway);

        result.IsValid.Should().BeTrue();
        result.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Rule4_more_than_one_proxy_replica_without_any_proxy_endpoint_is_an_error()
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.ProxyConfig.Replicas = 3;
        gateway.Spec.Endpoints!.RemoveAll(e => e.Type == WellKnown.EndpointTypeProxy);

        SingleError(gateway).ToString().Should().Be(
            "spec.proxyConfig.Replicas: Invalid value: 3: no endpoint of type proxy is listed, so no proxy endpoint is elected");
    }

    [Fact]
    public void Rule4_one_proxy_replica_without_a_proxy_endpoint_is_accepted_with_a_warning_as_openyurt_accepts_it()
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.Endpoints!.RemoveAll(e => e.Type == WellKnown.EndpointTypeProxy);

        var warning = SingleWarning(gateway);

        warning.ToString().Should().Be(
            "spec.proxyConfig.Replicas: Invalid value: 1: no endpoint of type proxy is listed, so no proxy endpoint is elected");
    }

    [Fact]
    public void Rule5_all_endpoints_agree_on_under_nat()
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.Endpoints![1].UnderNAT = false;

        var error = SingleError(gateway);

        error.Path.Should().Be("spec.endpoints[1].underNAT");
        error.BadValue.Should().Be("false");
    }

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("300.1.1.1")]
    [InlineData("host.example")]
    [InlineData("01.2.3.4")]
    public void Rule6_public_ip_must_be_an_address(string value)
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.Endpoints![0].PublicIP = value;

        var error = SingleError(gateway);

        error.Path.Should().Be("spec.endpoints[0].publicIP");
        error.BadValue.Should().Be(value);
    }

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("2001:db8::1")]
    public void Rule6_addresses_of_both_families_are_accepted(string value)
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.Endpoints![0].PublicIP = value;

        Validate(gateway).IsValid.Should().BeTrue();
    }

    [Fact]
    public void A_redacted_public_ip_from_documentation_is_a_warning_not_an_error()
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.Endpoints![0].PublicIP = "120.79.xxx.xxx";

        var result = Validate(gateway);

        result.IsValid.Should().BeTrue();
        result.Warnings.Should().ContainSingle(w => w.Path == "spec.endpoints[0].publicIP" && w.Detail.Contains("placeholder"));
    }

    [Fact]
    public void Rule7_endpoint_type_is_tunnel_or_proxy()
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.Endpoints![1].Type = "vpn";

        var error = SingleError(gateway);

        error.Path.Should().Be("spec.endpoints[1].type");
        error.BadValue.Should().Be("vpn");
    }

    [Fact]
    public void Rule8_node_name_is_required()
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.Endpoints![0].NodeName = "";

        var error = SingleError(gateway);

        error.Path.Should().Be("spec.endpoints[0].nodeName");
        error.Type.Should().Be(FieldErrorType.Required);
    }

    [Theory]
    [InlineData(true, "spec.tunnelConfig.Replicas")]
    [InlineData(false, "spec.proxyConfig.Replicas")]
    public void Negative_replicas_are_accepted_with_a_warning_that_they_count_as_zero(bool tunnel, string path)
    {
        var gateway = GatewayBuilder.Valid();
        if (tunnel)
        {
            gateway.Spec.TunnelConfig.Replicas = -1;
        }
        else
        {
            gateway.Spec.ProxyConfig.Replicas = -1;
        }

        var warning = SingleWarning(gateway);

        warning.Path.Should().Be(path);
        warning.Detail.Should().Contain("negative, so it counts as 0");
    }

    [Fact]
    public void The_same_node_and_type_twice_is_a_duplicate_that_warns()
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.Endpoints!.Add(GatewayBuilder.Endpoint("node-a", "tunnel", underNat: true));

        var warning = SingleWarning(gateway);

        warning.Path.Should().Be("spec.endpoints[2]");
        warning.Type.Should().Be(FieldErrorType.Duplicate);
        warning.Detail.Should().Contain("spec.endpoints[1]").And.Contain("count as one");
    }

    [Theory]
    [InlineData(70000, "port")]
    [InlineData(-5, "port")]
    public void Ports_must_be_in_range(int port, string field)
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.Endpoints![0].Port = port;

        SingleError(gateway).Path.Should().Be($"spec.endpoints[0].{field}");
    }

    [Fact]
    public void Public_port_must_be_in_range()
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.Endpoints![0].PublicPort = 65536;

        SingleError(gateway).Path.Should().Be("spec.endpoints[0].publicPort");
    }

    [Theory]
    [InlineData("10255,abc", null, "spec.proxyConfig.proxyHTTPPort", "abc")]
    [InlineData("10255,,9445", null, "spec.proxyConfig.proxyHTTPPort", "")]
    [InlineData("0", null, "spec.proxyConfig.proxyHTTPPort", "0")]
    [InlineData(null, "65536", "spec.proxyConfig.proxyHTTPSPort", "65536")]
    public void Proxy_port_entries_must_be_ports(string? http, string? https, string path, string bad)
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.ProxyConfig.ProxyHTTPPort = http;
        gateway.Spec.ProxyConfig.ProxyHTTPSPort = https;

        var error = SingleError(gateway);

        error.Path.Should().Be(path);
        error.BadValue.Should().Be(bad);
    }

    [Theory]
    [InlineData(null, "10250,10250", "spec.proxyConfig.proxyHTTPSPort", "10250", "listed more than once")]
    [InlineData("9100", "10250, 9100", "spec.proxyConfig.proxyHTTPSPort", "9100", "serves it as plain HTTP")]
    public void A_repeated_proxy_port_is_accepted_with_a_warning(string? http, string? https, string path, string bad, string detail)
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.ProxyConfig.ProxyHTTPPort = http;
        gateway.Spec.ProxyConfig.ProxyHTTPSPort = https;

        var warning = SingleWarning(gateway);

        (warning.Path, warning.BadValue).Should().Be((path, bad));
        warning.Detail.Should().Contain(detail);
    }

    [Fact]
    public void Proxy_port_lists_tolerate_spaces()
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.ProxyConfig.ProxyHTTPPort = "10255, 9445";
        gateway.Spec.ProxyConfig.ProxyHTTPSPort = " 10250 ,9100";

        Validate(gateway).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Extra_allowed_source_cidrs_must_all_be_cidrs()
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Metadata.Annotations = new() { [WellKnown.ExtraAllowedSourceCidrsAnnotation] = "10.10.0.0/16,192.0.2.1,203.0.113.1/33" };

        var errors = Validate(gateway).Errors;

        errors.Should().HaveCount(2);
        errors.Should().OnlyContain(e => e.Path == "metadata.annotations[raven.openyurt.io/extra-allowed-source-cidrs]");
        errors.Select(e => e.BadValue).Should().Equal("192.0.2.1", "203.0.113.1/33");
    }

    [Theory]
    [InlineData("GW-Upper")]
    [InlineData("gw_underscore")]
    [InlineData("-leading")]
    public void Names_must_be_dns_subdomains(string name)
    {
        var gateway = GatewayBuilder.Valid(name);

        SingleError(gateway).Path.Should().Be("metadata.name");
    }

    [Fact]
    public void Update_may_not_rename()
    {
        var existing = GatewayBuilder.Valid("gw-a");
        var updated = GatewayBuilder.Valid("gw-b");

        var result = GatewayValidator.ValidateUpdate(updated, existing);

        result.Errors.Should().ContainSingle(e => e.Path == "metadata.name" && e.Type == FieldErrorType.Forbidden);
    }

    [Fact]
    public void Every_mistake_is_reported_at_once_with_its_path()
    {
        var gateway = GatewayBuilder.Valid("Bad_Name");
        gateway.Spec.ExposeType = "Public";
        gateway.Spec.TunnelConfig.Replicas = 3;
        gateway.Spec.ProxyConfig.ProxyHTTPPort = "x";
        gateway.Spec.Endpoints =
        [
            GatewayBuilder.Endpoint("", "proxy", underNat: true),
            GatewayBuilder.Endpoint("node-b", "bogus", underNat: false, publicIp: "1.2.3.4.5"),
        ];

        var paths = Validate(gateway).Errors.Select(e => e.Path).ToList();

        paths.Should().BeEquivalentTo(
            "metadata.name", "spec.exposeType", "spec.tunnelConfig.Replicas", "spec.proxyConfig.proxyHTTPPort",
            "spec.endpoints[0].nodeName", "spec.endpoints[1].type", "spec.endpoints[1].publicIP", "spec.endpoints[1].underNAT");
    }

    /// <summary>Manifests OpenYurt's webhook admits (its eight rules, the API server's name check); each must be accepted here.</summary>
    public static TheoryData<string, Action<Gateway>> AcceptedUpstream => new()
    {
        { "one proxy replica, only a tunnel endpoint", g => g.Spec.Endpoints!.RemoveAll(e => e.Type == WellKnown.EndpointTypeProxy) },
        { "replicas 1/1 and no endpoints at all", g => g.Spec.Endpoints = [] },
        { "negative tunnel replicas", g => g.Spec.TunnelConfig.Replicas = -2 },
        { "negative proxy replicas", g => g.Spec.ProxyConfig.Replicas = -1 },
        { "a repeated endpoint", g => g.Spec.Endpoints!.Add(GatewayBuilder.Endpoint("node-a", "proxy", underNat: true)) },
        { "a repeated HTTP port", g => g.Spec.ProxyConfig.ProxyHTTPPort = "10255,10255" },
        { "a port both HTTP and HTTPS", g => (g.Spec.ProxyConfig.ProxyHTTPPort, g.Spec.ProxyConfig.ProxyHTTPSPort) = ("10250", "10250") },
        { "endpoints without ports", g => g.Spec.Endpoints!.ForEach(e => e.Port = 0) },
        { "replicas 0/0", g => (g.Spec.TunnelConfig.Replicas, g.Spec.ProxyConfig.Replicas) = (0, 0) },
    };

    [Theory]
    [MemberData(nameof(AcceptedUpstream))]
    public void Every_gateway_openyurt_accepts_is_accepted(string what, Action<Gateway> change)
    {
        var gateway = GatewayBuilder.Valid();
        change(gateway);

        Validate(gateway).Errors.Should().BeEmpty(what);
    }

    [Fact]
    public void Every_message_names_its_field_once()
    {
        var gateway = GatewayBuilder.Valid();
        gateway.Spec.ExposeType = "Internet";
        gateway.Spec.Endpoints![0].PublicIP = "1.2.3";
        gateway.Spec.Endpoints.Add(GatewayBuilder.Endpoint("node-a", "tunnel", underNat: true));

        var result = Validate(gateway);

        result.Errors.Select(e => e.ToString()).Should().Equal(
            "spec.exposeType: Unsupported value: \"Internet\": supported values: \"\" (not exposed), \"PublicIP\", \"LoadBalancer\"",
            "spec.endpoints[0].publicIP: Invalid value: \"1.2.3\": must be an IPv4 or IPv6 address");
        result.Warnings.Select(w => w.ToString()).Should().Equal(
            "spec.endpoints[2]: Duplicate value: \"node-a/tunnel\": node node-a already has a tunnel endpoint at spec.endpoints[1]; the two count as one");
        result.Errors.Concat(result.Warnings).Should().OnlyContain(e => !e.Message.Contains(e.Path));
    }
}
