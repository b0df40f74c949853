using System.Text;
using System.Text.Json.Nodes;

namespace Raven.Controller.Tests.Webhooks;

/// <summary>Review documents shaped like the ones kube-apiserver sends.</summary>
internal static class WebhookFixtures
{
    public const string Uid = "705ab4f5-6393-11e8-b7cc-42010a800002";

    public static JsonObject BetaGateway(string name = "gw-a") => JsonNode.Parse($$"""
        {
          "apiVersion": "raven.openyurt.io/v1beta1",
          "kind": "Gateway",
          "metadata": { "name": "{{name}}", "uid": "u-1", "creationTimestamp": "2024-05-01T10:00:00Z", "managedFields": [ { "manager": "kubectl" } ] },
          "spec": {
            "proxyConfig": { "Replicas": 1 },
            "tunnelConfig": { "Replicas": 1 },
            "endpoints": [
              { "nodeName": "node-1", "type": "tunnel" },
              { "nodeName": "node-2", "type": "proxy", "port": 10262 }
            ]
          }
        }
        """)!.AsObject();

    public static JsonObject AlphaGateway(string name = "gw-old") => JsonNode.Parse($$"""
        {
          "apiVersion": "raven.openyurt.io/v1alpha1",
          "kind": "Gateway",
          "metadata": { "name": "{{name}}" },
          "spec": { "endpoints": [ { "nodeName": "node-1", "underNAT": true } ] }
        }
        """)!.AsObject();

    public static string AdmissionReview(string operation, JsonNode? obj, JsonNode? oldObj = null, string requestVersion = "v1beta1") => new JsonObject
    {
        ["apiVersion"] = "admission.k8s.io/v1",
        ["kind"] = "AdmissionReview",
        ["request"] = new JsonObject
        {
            ["uid"] = Uid,
            ["kind"] = new JsonObject { ["group"] = "raven.openyurt.io", ["version"] = "v1beta1", ["kind"] = "Gateway" },
            ["resource"] = new JsonObject { ["group"] = "raven.openyurt.io", ["version"] = "v1beta1", ["resource"] = "gateways" },
            ["requestKind"] = new JsonObject { ["group"] = "raven.openyurt.io", ["version"] = requestVersion, ["kind"] = "Gateway" },
            ["name"] = obj?["metadata"]?["name"]?.DeepClone(),
            ["operation"] = operation,
            ["userInfo"] = new JsonObject { ["username"] = "admin" },
            ["object"] = obj?.DeepClone(),
            ["oldObject"] = oldObj?.DeepClone(),
            ["dryRun"] = false,
        },
    }.ToJsonString();

    public static string ConversionReview(string desiredApiVersion, params JsonNode[] objects) => new JsonObject
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "ConversionReview",
        ["request"] = new JsonObject
        {
            ["uid"] = Uid,
            ["desiredAPIVersion"] = desiredApiVersion,
            ["objects"] = new JsonArray(objects.Select(o => (JsonNode?)o.DeepClone()).ToArray()),
        },
    }.ToJsonString();

    public static JsonObject Response(Raven.Controller.Webhooks.WebhookReply reply)
    {
        reply.StatusCode.Should().Be(200, reply.Error);
        return reply.Review!["response"]!.AsObject();
    }

    public static JsonArray DecodePatch(JsonObject response)
    {
        response["patchType"]!.GetValue<string>().Should().Be("JSONPatch");
        return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(response["patch"]!.GetValue<string>())))!.AsArray();
    }
}
