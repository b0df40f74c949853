using System.Text.Json.Nodes;
using Raven.ApiServer.Gateways;

namespace Raven.ApiServer.Tests;

/// <summary>Gateway writes are checked against the CRD schema first; the admission hooks only see objects that passed.</summary>
public sealed class GatewayAdmissionOrderTests : IAsyncLifetime
{
    private const string Gateways = "/apis/raven.openyurt.io/v1beta1/gateways";
    private readonly RecordingHooks _hooks = new(new GatewayResourceHooks());
    private TestApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync(o => o.Hooks.Register("raven.openyurt.io", "Gateway", _hooks));
        await RavenApiServer.InstallGatewayCrdAsync(_server.Server, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Gateway(string spec) =>
        $$$"""{"apiVersion":"raven.openyurt.io/v1beta1","kind":"Gateway","metadata":{"name":"gw-a"},"spec":{{{spec}}}}""";

    [Theory]
    [InlineData("""{"endpoints":[{"nodeName":"n1","type":"tunnel","port":"x"}]}""",
        "spec.endpoints[0].port", "spec.endpoints[0].port: Invalid value: \"string\": spec.endpoints[0].port in body must be of type integer: \"string\"")]
    [InlineData("""{"endpoints":[null]}""",
        "spec.endpoints[0]", "spec.endpoints[0]: Invalid value: \"null\": spec.endpoints[0] in body must be of type object: \"null\"")]
    [InlineData("""{"tunnelConfig":{"Replicas":"two"}}""",
        "spec.tunnelConfig.Replicas", "spec.tunnelConfig.Replicas: Invalid value: \"string\": spec.tunnelConfig.Replicas in body must be of type integer: \"string\"")]
    [InlineData("""{"endpoints":"all"}""",
        "spec.endpoints", "spec.endpoints: Invalid value: \"string\": spec.endpoints in body must be of type array: \"string\"")]
    public async Task Schema_errors_come_first_with_their_field_path_and_no_hook_runs(string spec, string field, string message)
    {
        var (code, status) = await _server.SendAsync(HttpMethod.Post, Gateways, Gateway(spec));

        code.Should().Be(422, status.ToJsonString());
        status["reason"]!.GetValue<string>().Should().Be("Invalid");
        status["message"]!.GetValue<string>().Should().Be($"Gateway.raven.openyurt.io \"gw-a\" is invalid: {message}");
        status["details"]!["causes"]![0]!["field"]!.GetValue<string>().Should().Be(field);
        _hooks.Calls.Should().Be(0, "admission never sees an object that failed the schema");
        (await _server.GetAsync(Gateways + "/gw-a")).Code.Should().Be(404, "nothing is stored");
    }

    [Fact]
    public async Task A_null_spec_reads_as_no_spec_as_on_a_real_server()
    {
        var (code, created) = await _server.SendAsync(HttpMethod.Post, Gateways, Gateway("null"));

        code.Should().Be(201, created.ToJsonString());
        created["spec"].Should().NotBeNull("the hooks defaulted the spec the schema pruner removed");
        _hooks.Calls.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task A_value_the_schema_allows_but_the_model_cannot_hold_is_422_from_admission()
    {
        var (code, status) = await _server.SendAsync(HttpMethod.Post, Gateways,
            Gateway("""{"endpoints":[{"nodeName":"n1","type":"tunnel","port":99999999999}]}"""));

        code.Should().Be(422, status.ToJsonString());
        status["details"]!["causes"]![0]!["field"]!.GetValue<string>().Should().Be("spec.endpoints[0].port");
        status["message"]!.GetValue<string>().Should().NotContain("Internal error");
    }

    [Fact]
    public async Task A_wrongly_typed_status_write_is_422_too()
    {
        await _server.CreateAsync(Gateways, Gateway("""{"endpoints":[{"nodeName":"n1","type":"tunnel"}]}"""));
        var (code, status) = await _server.PatchAsync(Gateways + "/gw-a/status", """{"status":{"nodes":[{"nodeName":"n1","privateIP":"10.0.0.1","subnets":"x"}]}}""");

        code.Should().Be(422, status.ToJsonString());
        status["details"]!["causes"]![0]!["field"]!.GetValue<string>().Should().Be("status.nodes[0].subnets");
    }

    private sealed class RecordingHooks(ICustomResourceHooks inner) : ICustomResourceHooks
    {
        private int _calls;

        public int Calls => _calls;

        public JsonObject Convert(JsonObject obj, string toVersion) => inner.Convert(obj, toVersion);

        public void Default(JsonObject obj, string version)
        {
            Interlocked.Increment(ref _calls);
            inner.Default(obj, version);
        }

        public AdmissionVerdict Validate(JsonObject newObj, JsonObject? oldObj, string version)
        {
            Interlocked.Increment(ref _calls);
            return inner.Validate(newObj, oldObj, version);
        }
    }
}
