namespace Raven.ApiServer.Tests;

/// <summary>Small CRDs written for these tests: a namespaced two-version Widget and a cluster-scoped Gateway-like Portal.</summary>
internal static class TestManifests
{
    public const string WidgetCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.test.raven.io
        spec:
          group: test.raven.io
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            additionalPrinterColumns:
            - {name: Size, type: integer, jsonPath: .spec.size}
            - {name: Color, type: string, jsonPath: .spec.color, priority: 1}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      size: {type: integer, minimum: 0}
                      color: {type: string, enum: [red, blue]}
                  status:
                    type: object
                    properties:
                      ready: {type: boolean}
                      conditions:
                        type: array
                        items: {type: object, x-kubernetes-preserve-unknown-fields: true}
          - name: v1alpha1
            served: true
            storage: false
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                x-kubernetes-preserve-unknown-fields: true
        """;

    public const string PortalCrdJson = """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"portals.edge.raven.io"},
         "spec":{"group":"edge.raven.io","scope":"Cluster",
          "names":{"plural":"portals","singular":"portal","kind":"Portal","listKind":"PortalList","shortNames":["pt"]},
          "versions":[
           {"name":"v1beta1","served":true,"storage":true,"subresources":{"status":{}},
            "schema":{"openAPIV3Schema":{"type":"object","properties":{
              "spec":{"type":"object","properties":{
                "exposeType":{"type":"string"},
                "endpoints":{"type":"array","items":{"type":"object","properties":{
                  "nodeName":{"type":"string"},"type":{"type":"string"},"publicIP":{"type":"string"},
                  "config":{"type":"object","additionalProperties":{"type":"string"}}}}}}},
              "status":{"type":"object","properties":{"activeEndpoints":{"type":"array","items":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}}}},
           {"name":"v1alpha1","served":true,"storage":false,"subresources":{"status":{}},
            "schema":{"openAPIV3Schema":{"type":"object","properties":{
              "spec":{"type":"object","properties":{
                "endpoints":{"type":"array","items":{"type":"object","properties":{
                  "nodeName":{"type":"string"},"publicIP":{"type":"string"}}}}}},
              "status":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}]}}
        """;

    public static string Widget(string ns, string name, int size, string color = "red") => $$"""
        apiVersion: test.raven.io/v1
        kind: Widget
        metadata:
          name: {{name}}
          namespace: {{ns}}
          labels: {app: demo}
        spec:
          size: {{size}}
          color: {{color}}
          unknownField: 1
        """;
}
