using Raven.Cli.Commands;

namespace Raven.Cli.Tests;

public sealed class GatewayCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("raven-cli-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Seed => Path.Combine(AppContext.BaseDirectory, "examples", "seed-manual-gateways.yaml");

    private string Write(string yaml)
    {
        var path = Path.Combine(directory, "gw.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void Validate_accepts_the_seed_manual_and_prints_the_v1alpha1_warnings()
    {
        var output = new StringWriter();

        var exit = GatewayCommand.Validate(Seed, output);

        exit.Should().Be(0);
        var text = output.ToString();
        text.Should().Contain("Gateway gw-cloud [raven.openyurt.io/v1alpha1]: valid");
        text.Should().Contain("warning line 29: spec.proxyConfig is not a field of raven.openyurt.io/v1alpha1");
        text.Should().Contain("3 valid Gateway(s)");
    }

    [Fact]
    public void Validate_reports_every_mistake_and_fails()
    {
        var path = Write("""
            apiVersion: raven.openyurt.io/v1beta1
            kind: Gateway
            metadata:
              name: gw-edge
            spec:
              exposeType: Internet
              tunnelConfig:
                Replicas: 2
              endpoints:
              - nodeName: n1
                type: tunel
              - nodeName: ""
                type: proxy
                publicIP: 10.0.0.300
            """);
        var output = new StringWriter();

        var exit = GatewayCommand.Validate(path, output);

        exit.Should().Be(1);
        output.ToString().Should().Contain("INVALID")
            .And.Contain("line 6: spec.exposeType: Unsupported value: \"Internet\"")
            .And.Contain("line 8: spec.tunnelConfig.Replicas: Invalid value: 2")
            .And.Contain("line 11: spec.endpoints[0].type: Unsupported value: \"tunel\"")
            .And.Contain("line 12: spec.endpoints[1].nodeName: Required value")
            .And.Contain("line 14: spec.endpoints[1].publicIP: Invalid value: \"10.0.0.300\"");
    }

    [Fact]
    public void Validate_accepts_what_openyurt_accepts_and_warns_where_raven_is_stricter()
    {
        var path = Write("""
            apiVersion: raven.openyurt.io/v1beta1
            kind: Gateway
            metadata:
              name: gw-edge
            spec:
              proxyConfig:
                Replicas: 1
                proxyHTTPPort: "10255,10255"
              tunnelConfig:
                Replicas: 1
              endpoints:
              - nodeName: edge-1
                type: tunnel
                underNAT: true
              - nodeName: edge-1
                type: tunnel
                underNAT: true
            """);
        var output = new StringWriter();

        var exit = GatewayCommand.Validate(path, output);

        exit.Should().Be(0, output.ToString());
        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        lines.Should().Contain(l => l.EndsWith("Gateway gw-edge [raven.openyurt.io/v1beta1]: valid"));
        lines.Should().Contain("warning line 7: spec.proxyConfig.Replicas: Invalid value: 1: no endpoint of type proxy is listed, so no proxy endpoint is elected");
        lines.Should().Contain(l => l.StartsWith("warning line 8: spec.proxyConfig.proxyHTTPPort: Duplicate value: 10255: "));
        lines.Should().Contain(l => l.StartsWith("warning line 15: spec.endpoints[1]: Duplicate value: \"edge-1/tunnel\""));
        lines.Should().NotContain(l => l.StartsWith("error"));
    }

    [Fact]
    public void Validate_of_a_missing_file_says_so()
    {
        var output = new StringWriter();

        GatewayCommand.Validate(Path.Combine(directory, "absent.yaml"), output).Should().Be(2);
        output.ToString().Should().Contain("cannot read");
    }

    [Fact]
    public void Convert_to_v1alpha1_and_back_returns_the_same_v1beta1_documents()
    {
        var alpha = new StringWriter();
        GatewayCommand.Convert(Seed, "v1alpha1", alpha, TextWriter.Null).Should().Be(0);
        var beta = new StringWriter();
        var direct = new StringWriter();

        GatewayCommand.Convert(Write(alpha.ToString()), "v1beta1", beta, TextWriter.Null).Should().Be(0);
        GatewayCommand.Convert(Seed, "v1beta1", direct, TextWriter.Null);

        alpha.ToString().Should().Contain("apiVersion: raven.openyurt.io/v1alpha1").And.Contain(Api.WellKnown.ConversionDataAnnotation);
        beta.ToString().Should().Be(direct.ToString());
    }
}
