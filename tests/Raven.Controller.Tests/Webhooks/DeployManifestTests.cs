using System.Text.Json.Nodes;
using Raven.Api.Manifests;
using Raven.Controller.Webhooks;
using Raven.TestSupport;

namespace Raven.Controller.Tests.Webhooks;

/// <summary>deploy/webhooks must parse and point the API server at the paths the server actually serves.</summary>
public class DeployManifestTests
{
    private static readonly string Dir = Path.Combine(RepositoryRoot.Path, "deploy", "webhooks");

    [Theory]
    [InlineData("mutating-webhook-configuration.yaml", "MutatingWebhookConfiguration", GatewayAdmission.MutatePath)]
    [InlineData("validating-webhook-configuration.yaml", "ValidatingWebhookConfiguration", GatewayAdmission.ValidatePath)]
    public void Webhook_configurations_target_the_service_path_for_v1beta1_gateways(string file, string kind, string path)
    {
        var doc = Single(file);
        doc["apiVersion"]!.GetValue<string>().Should().Be("admissionregistration.k8s.io/v1");
        doc["kind"]!.GetValue<string>().Should().Be(kind);
        var webhook = doc["webhooks"]!.AsArray().Single()!;
        webhook["failurePolicy"]!.GetValue<string>().Should().Be("Fail");
        webhook["sideEffects"]!.GetValue<string>().Should().Be("None");
        webhook["matchPolicy"]!.GetValue<string>().Should().Be("Equivalent");
        Strings(webhook["admissionReviewVersions"]).Should().Equal("v1");
        AssertService(webhook["clientConfig"]!, path);
        var rule = webhook["rules"]!.AsArray().Single()!;
        Strings(rule["apiGroups"]).Should().Equal("raven.openyurt.io");
        Strings(rule["apiVersions"]).Should().Equal("v1beta1");
        Strings(rule["resources"]).Should().Equal("gateways");
        Strings(rule["operations"]).Should().Equal("CREATE", "UPDATE");
    }

    [Fact]
    public void Crd_patch_switches_conversion_to_the_webhook()
    {
        var doc = Single("gateway-crd-conversion-patch.yaml");
        doc["metadata"]!["name"]!.GetValue<string>().Should().Be("gateways.raven.openyurt.io");
        var conversion = doc["spec"]!["conversion"]!;
        conversion["strategy"]!.GetValue<string>().Should().Be("Webhook");
        Strings(conversion["webhook"]!["conversionReviewVersions"]).Should().Equal("v1");
        AssertService(conversion["webhook"]!["clientConfig"]!, GatewayConversionReview.Path);
    }

    [Fact]
    public void Service_forwards_443_to_the_webhook_port()
    {
        var doc = Single("service.yaml");
        doc["metadata"]!["name"]!.GetValue<string>().Should().Be("raven-controller-webhook");
        doc["metadata"]!["namespace"]!.GetValue<string>().Should().Be("kube-system");
        var port = doc["spec"]!["ports"]!.AsArray().Single()!;
        port["port"]!.GetValue<long>().Should().Be(443);
        port["targetPort"]!.GetValue<long>().Should().Be(10273);
    }

    [Fact]
    public void Kustomization_lists_every_resource_that_exists()
    {
        var resources = Strings(Single("kustomization.yaml")["resources"]);

        resources.Should().Equal("../crds", "service.yaml", "mutating-webhook-configuration.yaml", "validating-webhook-configuration.yaml");
        resources.Should().OnlyContain(r => File.Exists(Path.Combine(Dir, r)) || File.Exists(Path.Combine(Dir, r, "kustomization.yaml")));
        Single("kustomization.yaml")["patches"]!.AsArray().Single()!["path"]!.GetValue<string>().Should().Be("gateway-crd-conversion-patch.yaml");
    }

    private static void AssertService(JsonNode clientConfig, string path)
    {
        var service = clientConfig["service"]!;
        service["namespace"]!.GetValue<string>().Should().Be("kube-system");
        service["name"]!.GetValue<string>().Should().Be("raven-controller-webhook");
        service["port"]!.GetValue<long>().Should().Be(443);
        service["path"]!.GetValue<string>().Should().Be(path);
        clientConfig["caBundle"]!.GetValue<string>().Should().Be("CA_BUNDLE");
    }

    private static JsonNode Single(string file)
    {
        var docs = YamlStreamReader.Read(File.ReadAllText(Path.Combine(Dir, file)));
        docs.Should().ContainSingle();
        docs[0].HasErrors.Should().BeFalse();
        return docs[0].Root!;
    }

    private static List<string> Strings(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>()).ToList();
}
