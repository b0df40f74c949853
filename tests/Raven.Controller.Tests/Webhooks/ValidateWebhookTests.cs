using System.Text.Json.Nodes;
using Raven.Controller.Webhooks;
using static Raven.Controller.Tests.Webhooks.WebhookFixtures;

namespace Raven.Controller.Tests.Webhooks;

public class ValidateWebhookTests
{
    [Fact]
    public void A_valid_gateway_is_allowed_without_warnings()
    {
        var response = Response(GatewayAdmission.Validate(AdmissionReview("CREATE", BetaGateway())));

        response["uid"]!.GetValue<string>().Should().Be(Uid);
        response["allowed"]!.GetValue<bool>().Should().BeTrue();
        response.ContainsKey("warnings").Should().BeFalse();
        response.ContainsKey("patch").Should().BeFalse();
    }

    [Fact]
    public void Every_field_error_is_returned_as_a_422_with_causes()
    {
        var gateway = BetaGateway();
        gateway["spec"]!["exposeType"] = "NodePort";
        gateway["spec"]!["tunnelConfig"]!["Replicas"] = 2;
        gateway["spec"]!["endpoints"]![0]!["publicIP"] = "not-an-ip";
        gateway["spec"]!["endpoints"]![1]!["type"] = "vpn";

        var response = Response(GatewayAdmission.Validate(AdmissionReview("CREATE", gateway)));

        response["allowed"]!.GetValue<bool>().Should().BeFalse();
        var status = response["status"]!.AsObject();
        status["code"]!.GetValue<int>().Should().Be(422);
        status["reason"]!.GetValue<string>().Should().Be("Invalid");
        status["status"]!.GetValue<string>().Should().Be("Failure");
        status["details"]!["kind"]!.GetValue<string>().Should().Be("Gateway");
        status["details"]!["group"]!.GetValue<string>().Should().Be("raven.openyurt.io");
        status["details"]!["name"]!.GetValue<string>().Should().Be("gw-a");
        var causes = status["details"]!["causes"]!.AsArray().Select(c => c!.AsObject()).ToList();
        causes.Select(c => c["field"]!.GetValue<string>()).Should().Contain(
        [
            "spec.exposeType", "spec.tunnelConfig.Replicas", "spec.endpoints[0].publicIP", "spec.endpoints[1].type",
        ]);
        causes.Single(c => c["field"]!.GetValue<string>() == "spec.exposeType")["reason"]!.GetValue<string>().Should().Be("FieldValueNotSupported");
        causes.Single(c => c["field"]!.GetValue<string>() == "spec.endpoints[0].publicIP")["message"]!.GetValue<string>()
            .Should().StartWith("Invalid value: \"not-an-ip\"");
        var message = status["message"]!.GetValue<string>();
        message.Should().StartWith("Gateway.raven.openyurt.io \"gw-a\" is invalid: [");
        foreach (var cause in causes)
        {
            message.Should().Contain(cause["field"]!.GetValue<string>() + ": " + cause["message"]!.GetValue<string>());
        }
    }

    [Fact]
    public void A_redacted_public_ip_is_allowed_with_a_warning_for_kubectl()
    {
        var gateway = BetaGateway();
        gateway["spec"]!["endpoints"]![0]!["publicIP"] = "120.79.xxx.xxx";

        var response = Response(GatewayAdmission.Validate(AdmissionReview("CREATE", gateway)));

        response["allowed"]!.GetValue<bool>().Should().BeTrue();
        response["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).Should().ContainSingle()
            .Which.Should().StartWith("spec.endpoints[0].publicIP: Invalid value: \"120.79.xxx.xxx\"");
    }

    [Fact]
    public void Warnings_accompany_a_denial_too()
    {
        var gateway = BetaGateway();
        gateway["spec"]!["endpoints"]![0]!["publicIP"] = "120.79.xxx.xxx";
        gateway["spec"]!["exposeType"] = "NodePort";

        var response = Response(GatewayAdmission.Validate(AdmissionReview("CREATE", gateway)));

        response["allowed"]!.GetValue<bool>().Should().BeFalse();
        response["warnings"]!.AsArray().Should().ContainSingle();
        response["status"]!["message"]!.GetValue<string>().Should().NotContain("120.79");
    }

    [Fact]
    public void Renaming_on_update_is_forbidden()
    {
        var response = Response(GatewayAdmission.Validate(AdmissionReview("UPDATE", BetaGateway("gw-b"), BetaGateway("gw-a"))));

        response["allowed"]!.GetValue<bool>().Should().BeFalse();
        var cause = response["status"]!["details"]!["causes"]!.AsArray().Single()!;
        cause["field"]!.GetValue<string>().Should().Be("metadata.name");
        cause["reason"]!.GetValue<string>().Should().Be("FieldValueForbidden");
        cause["message"]!.GetValue<string>().Should().Contain("gw-a");
    }

    [Fact]
    public void An_unchanged_update_is_allowed()
    {
        var response = Response(GatewayAdmission.Validate(AdmissionReview("UPDATE", BetaGateway(), BetaGateway())));

        response["allowed"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public void Delete_is_always_allowed()
    {
        var broken = BetaGateway();
        broken["spec"]!["exposeType"] = "NodePort";

        var response = Response(GatewayAdmission.Validate(AdmissionReview("DELETE", null, broken)));

        response["allowed"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public void A_v1alpha1_object_is_validated_by_the_v1alpha1_rules()
    {
        var gateway = AlphaGateway();
        var twice = gateway["spec"]!["endpoints"]!.AsArray();
        twice.Add(twice[0]!.DeepClone());

        var response = Response(GatewayAdmission.Validate(AdmissionReview("CREATE", gateway, requestVersion: "v1alpha1")));

        // v1alpha1 endpoints have no type: a repeated node is a warning there, not an error.
        response["allowed"]!.GetValue<bool>().Should().BeTrue();
        response["warnings"]!.AsArray().Should().ContainSingle().Which!.GetValue<string>().Should().Contain("listed again");
    }

    [Fact]
    public void A_v1alpha1_request_converted_to_v1beta1_is_judged_as_written()
    {
        var converted = BetaGateway();
        var endpoints = converted["spec"]!["endpoints"]!.AsArray();
        endpoints.Clear();
        endpoints.Add(new JsonObject { ["nodeName"] = "node-1", ["type"] = "tunnel", ["port"] = 4500 });
        endpoints.Add(new JsonObject { ["nodeName"] = "node-1", ["type"] = "tunnel", ["port"] = 4500 });

        var asAlpha = Response(GatewayAdmission.Validate(AdmissionReview("CREATE", converted, requestVersion: "v1alpha1")));
        var asBeta = Response(GatewayAdmission.Validate(AdmissionReview("CREATE", converted, requestVersion: "v1beta1")));

        asAlpha["allowed"]!.GetValue<bool>().Should().BeTrue();
        asBeta["allowed"]!.GetValue<bool>().Should().BeTrue();
        Warnings(asAlpha).Should().ContainSingle().Which.Should().Contain("v1alpha1 endpoints have no type");
        Warnings(asBeta).Should().Contain(w => w.Contains("already has a tunnel endpoint"))
            .And.Contain(w => w.StartsWith("spec.proxyConfig.Replicas:"), "v1alpha1 cannot express replicas, v1beta1 can");
    }

    [Fact]
    public void One_proxy_replica_with_only_a_tunnel_endpoint_is_allowed_with_a_warning_as_openyurt_allows_it()
    {
        var gateway = BetaGateway();
        gateway["spec"]!["endpoints"]!.AsArray().RemoveAt(1);

        var response = Response(GatewayAdmission.Validate(AdmissionReview("CREATE", gateway)));

        response["allowed"]!.GetValue<bool>().Should().BeTrue();
        Warnings(response).Should().Equal(
            "spec.proxyConfig.Replicas: Invalid value: 1: no endpoint of type proxy is listed, so no proxy endpoint is elected");
    }

    [Fact]
    public void More_proxy_replicas_than_proxy_endpoints_is_denied_when_more_than_one_is_asked_for()
    {
        var gateway = BetaGateway();
        gateway["spec"]!["proxyConfig"]!["Replicas"] = 2;

        var response = Response(GatewayAdmission.Validate(AdmissionReview("CREATE", gateway)));

        response["allowed"]!.GetValue<bool>().Should().BeFalse();
        var cause = response["status"]!["details"]!["causes"]!.AsArray().Single()!;
        cause["field"]!.GetValue<string>().Should().Be("spec.proxyConfig.Replicas");
        cause["message"]!.GetValue<string>().Should().Be("Invalid value: 2: only 1 endpoint(s) of type proxy are listed, fewer than the replicas asked for");
        response["status"]!["message"]!.GetValue<string>().Should().Be(
            "Gateway.raven.openyurt.io \"gw-a\" is invalid: spec.proxyConfig.Replicas: Invalid value: 2: only 1 endpoint(s) of type proxy are listed, fewer than the replicas asked for");
    }

    private static List<string> Warnings(JsonObject response) =>
        (response["warnings"] as JsonArray ?? []).Select(w => w!.GetValue<string>()).ToList();

    [Fact]
    public void A_malformed_review_is_a_bad_request()
    {
        GatewayAdmission.Validate("{").StatusCode.Should().Be(400);
    }
}
