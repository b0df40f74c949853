using Raven.Cli.Commands;

namespace Raven.Cli.Tests;

public class ConfigCommandTests
{
    [Fact]
    public void Validate_names_the_lines_of_an_unindented_block_and_prints_the_corrected_manifest()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("rvt-config-").FullName, "raven-cfg.yaml");
        File.WriteAllText(file, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: raven-cfg, namespace: kube-system}\ndata:\n  enable-l7-proxy: true\n  gateway-nodes: |\n  gw-cloud=cloud-node-1\n");
        var output = new StringWriter();

        var code = ConfigCommand.Validate(file, output, TextWriter.Null);

        code.Should().Be(1);
        var text = output.ToString();
        text.Should().Contain($"{file}: line 5: enable-l7-proxy: true is read as a boolean or null, but ConfigMap data must be strings; write enable-l7-proxy: \"true\"");
        text.Should().Contain($"{file}: line 7: \"gw-cloud=cloud-node-1\" belongs to the '|' block of gateway-nodes but is not indented under it");
        text.Should().EndWith("corrected form:\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: raven-cfg, namespace: kube-system}\ndata:\n  enable-l7-proxy: \"true\"\n  gateway-nodes: |\n    gw-cloud=cloud-node-1\n".Replace("\n", Environment.NewLine, StringComparison.Ordinal));

        File.WriteAllText(file, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: raven-cfg}\ndata:\n  gateway-nodes: |\n    gw-cloud=cloud-node-1\n");
        ConfigCommand.Validate(file, new StringWriter(), TextWriter.Null).Should().Be(0);
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }
}
