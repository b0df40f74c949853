using System.Text.Json.Nodes;
using Raven.Controller.Webhooks;
using static Raven.Controller.Tests.Webhooks.WebhookFixtures;

namespace Raven.Controller.Tests.Webhooks;

public class ConvertWebhookTests
{
    [Fact]
    public void V1alpha1_converts_to_v1beta1_as_tunnel_endpoints()
    {
        var response = ConvertedResponse(GatewayConversionReview.Convert(ConversionReview("raven.openyurt.io/v1beta1", AlphaGateway())));

        var gateway = response["convertedObjects"]!.AsArray().Single()!;
        gateway["apiVersion"]!.GetValue<string>().Should().Be("raven.openyurt.io/v1beta1");
        gateway["metadata"]!["name"]!.GetValue<string>().Should().Be("gw-old");
        var endpoint = gateway["spec"]!["endpoints"]![0]!;
        endpoint["type"]!.GetValue<string>().Should().Be("tunnel");
        endpoint["port"]!.GetValue<int>().Should().Be(4500);
        endpoint["underNAT"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public void V1beta1_converts_to_v1alpha1_and_back_without_loss_keeping_metadata_verbatim()
    {
        var original = BetaGateway();
        original["spec"]!["proxyConfig"]!["proxyHTTPPort"] = "10266,10267";

        var down = ConvertedResponse(GatewayConversionReview.Convert(ConversionReview("raven.openyurt.io/v1alpha1", original)));
        var alpha = down["convertedObjects"]!.AsArray().Single()!;
        alpha["apiVersion"]!.GetValue<string>().Should().Be("raven.openyurt.io/v1alpha1");
        alpha["metadata"]!["annotations"]!.AsObject().Should().ContainKey("raven.openyurt.io/v1beta1-conversion-data");
        alpha["metadata"]!["creationTimestamp"]!.GetValue<string>().Should().Be("2024-05-01T10:00:00Z");
        alpha["metadata"]!["managedFields"]!.ToJsonString().Should().Be(original["metadata"]!["managedFields"]!.ToJsonString());

        var up = ConvertedResponse(GatewayConversionReview.Convert(ConversionReview("raven.openyurt.io/v1beta1", alpha)));
        var back = up["convertedObjects"]!.AsArray().Single()!;

        back["spec"]!.ToJsonString().Should().Be(Normalized(original)["spec"]!.ToJsonString());
        JsonNode.DeepEquals(back["metadata"], original["metadata"]).Should().BeTrue(back["metadata"]!.ToJsonString());
    }

    [Fact]
    public void Every_object_is_converted_in_order_and_same_version_objects_pass_through()
    {
        var already = BetaGateway("gw-1");
        var response = ConvertedResponse(GatewayConversionReview.Convert(
            ConversionReview("raven.openyurt.io/v1beta1", already, AlphaGateway("gw-2"))));

        var converted = response["convertedObjects"]!.AsArray();
        converted.Select(o => o!["metadata"]!["name"]!.GetValue<string>()).Should().Equal("gw-1", "gw-2");
        JsonNode.DeepEquals(converted[0], already).Should().BeTrue();
    }

    [Fact]
    public void An_unknown_desired_version_fails_with_a_message_and_keeps_the_uid()
    {
        var reply = GatewayConversionReview.Convert(ConversionReview("raven.openyurt.io/v2", BetaGateway()));

        reply.StatusCode.Should().Be(200);
        var response = reply.Review!["response"]!;
        response["uid"]!.GetValue<string>().Should().Be(Uid);
        response["result"]!["status"]!.GetValue<string>().Should().Be("Failure");
        response["result"]!["message"]!.GetValue<string>().Should().Contain("objects[0]").And.Contain("raven.openyurt.io/v2");
        response["convertedObjects"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public void A_foreign_object_fails_the_conversion()
    {
        var reply = GatewayConversionReview.Convert(ConversionReview("raven.openyurt.io/v1beta1", JsonNode.Parse("""{"apiVersion":"v1","kind":"Pod"}""")!));

        reply.Review!["response"]!["result"]!["status"]!.GetValue<string>().Should().Be("Failure");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("""{"apiVersion":"apiextensions.k8s.io/v1","kind":"ConversionReview"}""")]
    [InlineData("""{"apiVersion":"apiextensions.k8s.io/v1","kind":"ConversionReview","request":{"uid":"x","objects":[]}}""")]
    [InlineData("""{"apiVersion":"apiextensions.k8s.io/v1","kind":"ConversionReview","request":{"desiredAPIVersion":"raven.openyurt.io/v1beta1","objects":[]}}""")]
    public void A_malformed_review_is_a_bad_request(string body)
    {
        var reply = GatewayConversionReview.Convert(body);

        reply.StatusCode.Should().Be(400);
        reply.Error.Should().NotBeNullOrEmpty();
    }

    private static JsonObject ConvertedResponse(WebhookReply reply)
    {
        var response = Response(reply);
        response["uid"]!.GetValue<string>().Should().Be(Uid);
        response["result"]!["status"]!.GetValue<string>().Should().Be("Success", response["result"]!.ToJsonString());
        return response;
    }

    // The typed model's own serialization of the original, so key order does not decide the comparison.
    private static JsonNode Normalized(JsonObject gateway) =>
        GatewayForms.ToJson(GatewayForms.ToHub(gateway), "raven.openyurt.io/v1beta1");
}
