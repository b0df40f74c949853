using System.Text.Json.Nodes;
using Raven.Controller.Webhooks;
using static Raven.Controller.Tests.Webhooks.WebhookFixtures;

namespace Raven.Controller.Tests.Webhooks;

public class MutateWebhookTests
{
    [Fact]
    public void Create_patches_in_the_gateway_node_selector_and_default_ports()
    {
        var reply = GatewayAdmission.Mutate(AdmissionReview("CREATE", BetaGateway()));

        var response = Response(reply);
        reply.Review!["apiVersion"]!.GetValue<string>().Should().Be("admission.k8s.io/v1");
        response["uid"]!.GetValue<string>().Should().Be(Uid);
        response["allowed"]!.GetValue<bool>().Should().BeTrue();
        var patch = DecodePatch(response);
        patch.Select(op => op!.ToJsonString()).Should().BeEquivalentTo(
            """{"op":"add","path":"/spec/nodeSelector","value":{"matchLabels":{"raven.openyurt.io/gateway":"gw-a"}}}""",
            """{"op":"add","path":"/spec/endpoints/0/port","value":4500}""");
    }

    [Fact]
    public void The_patch_applied_to_the_request_object_gives_the_defaulted_gateway()
    {
        var original = BetaGateway();
        original["spec"]!["exposeType"] = "";

        var patch = DecodePatch(Response(GatewayAdmission.Mutate(AdmissionReview("CREATE", original))));
        var patched = JsonPatchApplier.Apply(original, patch);

        var expected = GatewayForms.ToHub(original);
        Raven.Api.Defaulting.GatewayDefaults.Apply(expected);
        JsonNode.DeepEquals(patched["spec"], GatewayForms.ToJson(expected, "raven.openyurt.io/v1beta1")["spec"]).Should().BeTrue(patched.ToJsonString());
        JsonNode.DeepEquals(patched["metadata"], original["metadata"]).Should().BeTrue("server-owned metadata is never patched");
    }

    [Fact]
    public void Existing_selector_labels_are_kept_and_the_label_key_is_pointer_escaped()
    {
        var gateway = BetaGateway();
        gateway["spec"]!["nodeSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["zone"] = "edge" } };
        gateway["spec"]!["endpoints"]!.AsArray().RemoveAt(0);

        var patch = DecodePatch(Response(GatewayAdmission.Mutate(AdmissionReview("UPDATE", gateway, BetaGateway()))));

        patch.Select(op => op!.ToJsonString()).Should().Equal(
            """{"op":"add","path":"/spec/nodeSelector/matchLabels/raven.openyurt.io~1gateway","value":"gw-a"}""");
    }

    [Fact]
    public void An_already_defaulted_gateway_gets_no_patch()
    {
        var gateway = BetaGateway();
        gateway["spec"]!["nodeSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["raven.openyurt.io/gateway"] = "gw-a" } };
        gateway["spec"]!["endpoints"]![0]!["port"] = 4500;

        var response = Response(GatewayAdmission.Mutate(AdmissionReview("CREATE", gateway)));

        response["allowed"]!.GetValue<bool>().Should().BeTrue();
        response.ContainsKey("patch").Should().BeFalse();
        response.ContainsKey("patchType").Should().BeFalse();
    }

    [Fact]
    public void A_v1alpha1_object_is_defaulted_in_its_own_version()
    {
        var patch = DecodePatch(Response(GatewayAdmission.Mutate(AdmissionReview("CREATE", AlphaGateway(), requestVersion: "v1alpha1"))));

        patch.Select(op => op!.ToJsonString()).Should().Equal(
            """{"op":"add","path":"/spec/nodeSelector","value":{"matchLabels":{"raven.openyurt.io/gateway":"gw-old"}}}""");
    }

    [Fact]
    public void Delete_is_allowed_without_a_patch()
    {
        var response = Response(GatewayAdmission.Mutate(AdmissionReview("DELETE", null, BetaGateway())));

        response["allowed"]!.GetValue<bool>().Should().BeTrue();
        response.ContainsKey("patch").Should().BeFalse();
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"x"}}""")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}""")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"operation":"CREATE"}}""")]
    public void A_malformed_review_is_a_bad_request(string body)
    {
        var reply = GatewayAdmission.Mutate(body);

        reply.StatusCode.Should().Be(400);
        reply.Review.Should().BeNull();
        reply.Error.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void An_object_that_is_not_a_gateway_is_denied_with_400_naming_the_kind()
    {
        var notGateway = JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}""");

        var response = Response(GatewayAdmission.Mutate(AdmissionReview("CREATE", notGateway)));

        response["allowed"]!.GetValue<bool>().Should().BeFalse();
        response["status"]!["code"]!.GetValue<int>().Should().Be(400);
        response["status"]!["message"]!.GetValue<string>().Should().Contain("ConfigMap");
    }

    [Fact]
    public void A_gateway_with_a_wrongly_typed_field_is_denied_with_400()
    {
        var gateway = BetaGateway();
        gateway["spec"]!["endpoints"]![0]!["port"] = "four thousand";

        var response = Response(GatewayAdmission.Mutate(AdmissionReview("CREATE", gateway)));

        response["allowed"]!.GetValue<bool>().Should().BeFalse();
        response["status"]!["code"]!.GetValue<int>().Should().Be(400);
        response["status"]!["message"]!.GetValue<string>().Should().Contain("v1beta1 Gateway does not match its schema");
    }
}
