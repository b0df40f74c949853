using Raven.Api.Manifests;

namespace Raven.Api.Tests.Manifests;

public class GatewayManifestReaderTests
{
    private static string SeedManual() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "seed-manual-gateways.yaml"));

    [Fact]
    public void The_seed_manual_yaml_is_accepted_with_warnings_for_every_dropped_field()
    {
        var manifests = GatewayManifestReader.Read(SeedManual());

        manifests.Select(m => m.Name).Should().Equal("gw-hangzhou", "gw-cloud", "gw-qingdao");
        manifests.Should().OnlyContain(m => m.IsValid);
        var qingdao = manifests[2].Warnings.Select(w => w.Message).ToList();
        qingdao.Should().Contain(m => m.StartsWith("spec.proxyConfig is not a field of raven.openyurt.io/v1alpha1") && m.Contains("v1beta1"));
        qingdao.Should().Contain(m => m.StartsWith("spec.tunnelConfig is not a field"));
        qingdao.Should().Contain(m => m.StartsWith("spec.endpoints[0].type is not a field"));
        qingdao.Should().Contain(m => m.StartsWith("spec.endpoints[1].port is not a field"));
    }

    [Fact]
    public void The_seed_manuals_repeated_under_nat_key_is_accepted_with_a_warning_on_its_line()
    {
        var hangzhou = GatewayManifestReader.Read(SeedManual())[0];

        hangzhou.Warnings.Should().ContainSingle(w => w.Line == 20 && w.Message.Contains("underNAT"));
        hangzhou.Gateway!.Spec.Endpoints!.Select(e => e.Type).Should().Equal("proxy", "tunnel");
    }

    [Fact]
    public void A_repeated_key_with_different_values_makes_the_document_invalid()
    {
        var text = SeedManual().Replace("      port: 4500\n      underNAT: true", "      port: 4500\n      underNAT: false", StringComparison.Ordinal);

        var hangzhou = GatewayManifestReader.Read(text)[0];

        hangzhou.IsValid.Should().BeFalse();
        hangzhou.Errors.Should().ContainSingle(e => e.Line == 20 && e.Message.Contains("lines 18 and 20"));
    }

    [Fact]
    public void Pruned_v1alpha1_documents_convert_to_upstreams_v1beta1_shape()
    {
        var qingdao = GatewayManifestReader.Read(SeedManual())[2].Gateway!;

        qingdao.Spec.Endpoints!.Should().OnlyContain(e => e.Type == "tunnel" && e.Port == 4500 && e.UnderNAT);
        qingdao.Spec.ProxyConfig.Replicas.Should().Be(1);
    }

    [Fact]
    public void Lists_are_expanded_and_other_kinds_are_skipped()
    {
        const string yaml = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: raven.openyurt.io/v1beta1
              kind: Gateway
              metadata: {name: gw-a}
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: raven-cfg}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: web}
            """;

        var manifests = GatewayManifestReader.Read(yaml);

        manifests.Select(m => (m.Name, m.Skipped, m.IsValid)).Should().Equal(("gw-a", false, true), ("raven-cfg", true, false), ("web", true, false));
    }

    [Fact]
    public void Unknown_versions_and_missing_kinds_are_errors()
    {
        const string yaml = "apiVersion: raven.openyurt.io/v2\nkind: Gateway\nmetadata: {name: a}\n---\nmetadata: {name: b}\n";

        var manifests = GatewayManifestReader.Read(yaml);

        manifests[0].Errors.Single().Message.Should().Contain("not a served version");
        manifests[1].Errors.Single().Message.Should().Contain("apiVersion and kind are required");
    }

    [Fact]
    public void Wrong_types_are_errors_with_paths_and_lines()
    {
        const string yaml = """
            apiVersion: raven.openyurt.io/v1beta1
            kind: Gateway
            metadata:
              name: gw-a
            spec:
              tunnelConfig:
                Replicas: one
              endpoints:
              - nodeName: n1
                type: tunnel
                underNAT: "maybe"
            """;

        var manifest = GatewayManifestReader.Read(yaml).Single();

        manifest.IsValid.Should().BeFalse();
        manifest.Errors.Select(e => (e.Line, e.Message.Split(':')[0])).Should().BeEquivalentTo(new[]
        {
            (7, "spec.tunnelConfig.Replicas"),
            (11, "spec.endpoints[0].underNAT"),
        });
    }

    [Fact]
    public void Validation_errors_carry_the_line_of_the_offending_field()
    {
        const string yaml = """
            apiVersion: raven.openyurt.io/v1beta1
            kind: Gateway
            metadata:
              name: gw-a
            spec:
              endpoints:
              - nodeName: n1
                type: tunnel
              - nodeName: n2
                type: tunnel
                publicIP: 1.2.3
            """;

        var manifest = GatewayManifestReader.Read(yaml).Single();

        manifest.Errors.Should().ContainSingle(e => e.Line == 11 && e.Message.StartsWith("spec.endpoints[1].publicIP: Invalid value: \"1.2.3\""));
    }

    [Fact]
    public void A_scalar_document_is_rejected()
    {
        GatewayManifestReader.Read("just text\n").Single().Errors.Single().Message.Should().Contain("not a mapping");
    }
}
