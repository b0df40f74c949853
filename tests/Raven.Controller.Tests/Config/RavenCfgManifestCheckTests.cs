using Raven.Api.Manifests;
using Raven.Controller.Config;
using Raven.TestSupport;

namespace Raven.Controller.Tests.Config;

public class RavenCfgManifestCheckTests
{
    // The L7 proposal's example exactly as printed (seed 004, "Config Controller/Webhook").
    private const string Proposal = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: raven-cfg
          namespace: kube-system
          labels:
            app: raven
        data:
          enable-l7-proxy: true
          enable-l3-tunnel: false
          gateway-replicas: 1
          l7-proxy-port: |
          https=10250
          http=10255
          exposed-gateway: | 
          gw-cloud=LoadBalancer
          gateway-nodes: |
          gw-cloud=cloud-node-1
          gw-edge=edge-node-1
        """;

    [Fact]
    public void The_proposals_example_as_printed_does_not_parse_as_yaml()
    {
        YamlStreamReader.Read(Proposal).Should().Contain(d => d.HasErrors);
    }

    [Fact]
    public void Each_mistake_of_the_proposals_example_names_its_line_and_the_corrected_form_works()
    {
        var result = RavenCfgManifestCheck.Check(Proposal);

        result.IsValid.Should().BeFalse();
        result.Problems.Should().Equal(
            "line 9: enable-l7-proxy: true is read as a boolean or null, but ConfigMap data must be strings; write enable-l7-proxy: \"true\"",
            "line 10: enable-l3-tunnel: false is read as a boolean or null, but ConfigMap data must be strings; write enable-l3-tunnel: \"false\"",
            "line 11: gateway-replicas: 1 is read as a number, but ConfigMap data must be strings; write gateway-replicas: \"1\"",
            "line 13: \"https=10250\" belongs to the '|' block of l7-proxy-port but is not indented under it (YAML then fails to parse); indent it by two more spaces than \"l7-proxy-port:\"",
            "line 14: \"http=10255\" belongs to the '|' block of l7-proxy-port but is not indented under it (YAML then fails to parse); indent it by two more spaces than \"l7-proxy-port:\"",
            "line 16: \"gw-cloud=LoadBalancer\" belongs to the '|' block of exposed-gateway but is not indented under it (YAML then fails to parse); indent it by two more spaces than \"exposed-gateway:\"",
            "line 18: \"gw-cloud=cloud-node-1\" belongs to the '|' block of gateway-nodes but is not indented under it (YAML then fails to parse); indent it by two more spaces than \"gateway-nodes:\"",
            "line 19: \"gw-edge=edge-node-1\" belongs to the '|' block of gateway-nodes but is not indented under it (YAML then fails to parse); indent it by two more spaces than \"gateway-nodes:\"");
        result.Corrected.Should().Contain("  enable-l7-proxy: \"true\"\n").And.Contain("  l7-proxy-port: |\n    https=10250\n    http=10255\n");

        var again = RavenCfgManifestCheck.Check(result.Corrected);
        again.IsValid.Should().BeTrue(string.Join("\n", again.Problems));
        var data = YamlStreamReader.Read(result.Corrected).Single().Root!["data"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        var config = RavenConfigParser.Parse(data);
        config.Problems.Should().BeEmpty();
        config.GatewayNodes.Keys.Should().Equal("gw-cloud", "gw-edge");
        config.ExposedGateways["gw-cloud"].Should().Be("LoadBalancer");
        config.ProxyHttpsPorts.Should().Equal(10250);
    }

    [Fact]
    public void The_install_guides_example_is_valid()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "install.md"));
        var start = doc.IndexOf("```yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: raven-cfg", StringComparison.Ordinal);
        start.Should().BePositive();
        var yaml = doc[(start + 8)..doc.IndexOf("```", start + 8, StringComparison.Ordinal)];

        var result = RavenCfgManifestCheck.Check(yaml);

        result.IsValid.Should().BeTrue(string.Join("\n", result.Problems));
        result.Corrected.Should().Be(yaml);
    }
}
