using System.Text;
using System.Text.Json.Nodes;

namespace Raven.ApiServer.Tests;

/// <summary>Writes of built-in kinds are decoded into the official client's typed models and checked like a real server.</summary>
public class BuiltinTypeCheckTests
{
    private const string Nodes = "/api/v1/nodes";
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    public static TheoryData<string, string, string, string> BadObjects => new()
    {
        {
            Nodes, """{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1","labels":[1]}}""",
            "metadata.labels", "Node \"n1\" is invalid: metadata.labels: Invalid value: \"array\": must be of type map[string]string"
        },
        {
            Nodes, """{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},"spec":{"podCIDR":1e999}}""",
            "spec.podCIDR", "Node \"n1\" is invalid: spec.podCIDR: Invalid value: 1e999: must be of type string"
        },
        {
            Nodes, """{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},"spec":{"podCIDR":"10.0.0.0/33"}}""",
            "spec.podCIDR", "Node \"n1\" is invalid: spec.podCIDR: Invalid value: \"10.0.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
        },
        {
            Nodes, """{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},"status":{"capacity":{"cpu":"2 cores"}}}""",
            "status.capacity[cpu]", "Node \"n1\" is invalid: status.capacity[cpu]: Invalid value: \"2 cores\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        },
        {
            Nodes, """{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1","labels":{"bad key":"x"}}}""",
            "metadata.labels", "Node \"n1\" is invalid: metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        },
        {
            "/api/v1/namespaces/default/services", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s1"},"spec":{"ports":[{"port":"x"}]}}""",
            "spec.ports[0].port", "Service \"s1\" is invalid: spec.ports[0].port: Invalid value: \"x\": must be of type int32"
        },
        {
            "/api/v1/namespaces/default/services", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s1"},"spec":{"ports":[{"port":0}]}}""",
            "spec.ports[0].port", "Service \"s1\" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"
        },
        {
            "/api/v1/namespaces/default/services", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s1"},"spec":{}}""",
            "spec.ports", "Service \"s1\" is invalid: spec.ports: Required value"
        },
        {
            ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1"},"data":{"a":1}}""",
            "data[a]", "ConfigMap \"c1\" is invalid: data[a]: Invalid value: 1: must be of type string"
        },
        {
            ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1"},"data":{"a b":"x"}}""",
            "data[a b]", "ConfigMap \"c1\" is invalid: data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
        },
        {
            "/api/v1/namespaces/default/secrets", """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s1"},"data":{"a":"!!not base64"}}""",
            "data[a]", "Secret \"s1\" is invalid: data[a]: Invalid value: \"!!not base64\": illegal base64 data"
        },
        {
            "/apis/certificates.k8s.io/v1/certificatesigningrequests",
            """{"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"r1"},"spec":{"request":"aGVsbG8=","signerName":"kubernetes.io/kube-apiserver-client","usages":["client auth"]}}""",
            "spec.request", "CertificateSigningRequest.certificates.k8s.io \"r1\" is invalid: spec.request: Invalid value: []byte{...}: PEM block type must be CERTIFICATE REQUEST"
        },
        {
            "/apis/coordination.k8s.io/v1/namespaces/default/leases", """{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l1"},"spec":{"renewTime":"not-a-time"}}""",
            "spec.renewTime", "Lease.coordination.k8s.io \"l1\" is invalid: spec.renewTime: Invalid value: \"not-a-time\": must be an RFC 3339 date-time, e.g. \"2006-01-02T15:04:05Z\""
        },
        {
            "/apis/coordination.k8s.io/v1/namespaces/default/leases", """{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l1"},"spec":{"leaseDurationSeconds":0}}""",
            "spec.leaseDurationSeconds", "Lease.coordination.k8s.io \"l1\" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"
        },
        {
            "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices", """{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"e1"},"endpoints":[]}""",
            "addressType", "EndpointSlice.discovery.k8s.io \"e1\" is invalid: addressType: Required value"
        },
        {
            "/api/v1/namespaces/default/pods", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p1"},"spec":{"containers":[{"name":"c"}]}}""",
            "spec.containers[0].image", "Pod \"p1\" is invalid: spec.containers[0].image: Required value"
        },
    };

    [Theory]
    [MemberData(nameof(BadObjects))]
    public async Task A_wrongly_typed_or_invalid_builtin_object_is_422_with_the_field_and_nothing_is_stored(string collection, string body, string field, string message)
    {
        await using var server = await TestApiServer.StartAsync();

        var (code, status) = await server.SendAsync(HttpMethod.Post, collection, body);

        code.Should().Be(422, status.ToJsonString());
        status["reason"]!.GetValue<string>().Should().Be("Invalid");
        status["message"]!.GetValue<string>().Should().Be(message);
        status["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()).Should().Contain(field);
        var (listCode, list) = await server.GetAsync(collection);
        listCode.Should().Be(200);
        list["items"]!.AsArray().Should().BeEmpty("nothing was stored");
    }

    [Fact]
    public async Task Updates_patches_and_status_writes_are_checked_too()
    {
        await using var server = await TestApiServer.StartAsync();
        await server.CreateAsync(Nodes, """{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"}}""");

        var put = await server.PutAsync(Nodes + "/n1", JsonNode.Parse("""{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1","labels":{"a":7}}}""")!.AsObject());
        var patch = await server.PatchAsync(Nodes + "/n1", """{"spec":{"unschedulable":"yes"}}""");
        var status = await server.PatchAsync(Nodes + "/n1/status", """{"status":{"addresses":[{"type":"InternalIP","address":5}]}}""");

        put.Code.Should().Be(422, put.Body.ToJsonString());
        put.Body["details"]!["causes"]![0]!["field"]!.GetValue<string>().Should().Be("metadata.labels[a]");
        patch.Code.Should().Be(422, patch.Body.ToJsonString());
        patch.Body["message"]!.GetValue<string>().Should().Be("Node \"n1\" is invalid: spec.unschedulable: Invalid value: \"yes\": must be of type boolean");
        status.Code.Should().Be(422, status.Body.ToJsonString());
        status.Body["details"]!["causes"]![0]!["field"]!.GetValue<string>().Should().Be("status.addresses[0].address");
        var (_, node) = await server.GetAsync(Nodes + "/n1");
        node["metadata"]!["resourceVersion"].Should().NotBeNull();
        node["spec"]?["unschedulable"].Should().BeNull();
    }

    [Fact]
    public async Task Strict_field_validation_refuses_unknown_fields_with_the_real_message()
    {
        await using var server = await TestApiServer.StartAsync();
        var (code, status) = await server.SendAsync(HttpMethod.Post, ConfigMaps + "?fieldValidation=Strict",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1","colour":"red"},"data":{"k":"v"},"extra":1}""");

        code.Should().Be(400, status.ToJsonString());
        status["reason"]!.GetValue<string>().Should().Be("BadRequest");
        status["message"]!.GetValue<string>().Should().Be(
            "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"metadata.colour\", unknown field \"extra\"");
        (await server.GetAsync(ConfigMaps + "/c1")).Code.Should().Be(404);
    }

    [Theory]
    [InlineData("Warn", true)]
    [InlineData("", true)]
    [InlineData("Ignore", false)]
    public async Task Warn_and_ignore_drop_unknown_fields_and_warn_only_when_asked(string validation, bool warns)
    {
        await using var server = await TestApiServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, ConfigMaps + (validation.Length > 0 ? "?fieldValidation=" + validation : ""))
        {
            Content = new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1"},"data":{"k":"v"},"extra":1}""", Encoding.UTF8, "application/json"),
        };
        using var response = await server.Http.SendAsync(request);

        ((int)response.StatusCode).Should().Be(201);
        var warnings = response.Headers.TryGetValues("Warning", out var values) ? values.ToList() : [];
        if (warns) warnings.Should().ContainSingle().Which.Should().Be("299 - \"unknown field \\\"extra\\\"\"");
        else warnings.Should().BeEmpty();
        var (_, stored) = await server.GetAsync(ConfigMaps + "/c1");
        stored.ContainsKey("extra").Should().BeFalse("a real server drops fields its types do not declare");
    }

    [Fact]
    public async Task An_unknown_field_validation_directive_is_400()
    {
        await using var server = await TestApiServer.StartAsync();
        var (code, status) = await server.SendAsync(HttpMethod.Post, ConfigMaps + "?fieldValidation=Loose",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1"}}""");
        code.Should().Be(400);
        status["message"]!.GetValue<string>().Should().Contain("fieldValidation: Unsupported value: \"Loose\"");
    }

    [Fact]
    public async Task Kubectl_and_typed_clients_keep_working_after_rejected_writes()
    {
        await using var server = await TestApiServer.StartAsync();
        var kubectl = new Kubectl(server);
        await server.CreateAsync(Nodes, """{"apiVersion":"v1","kind":"Node","metadata":{"name":"good"}}""");
        (await server.SendAsync(HttpMethod.Post, Nodes, """{"apiVersion":"v1","kind":"Node","metadata":{"name":"bad","labels":[1]}}""")).Code.Should().Be(422);

        var table = await kubectl.OkAsync("get", "nodes");
        var described = await kubectl.OkAsync("describe", "nodes");

        table.Should().Contain("good").And.NotContain("bad");
        described.Should().Contain("Name:               good");
    }
}
