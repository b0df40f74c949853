using Raven.Api.Meta;
using Raven.Kube.Client;

namespace Raven.Kube.Tests.Client;

public sealed class UrlAndSelectorTests
{
    [Fact]
    public void Core_group_paths_use_api_v1()
    {
        KubeResources.ConfigMap.ObjectPath("raven-cfg", "kube-system")
            .Should().Be("/api/v1/namespaces/kube-system/configmaps/raven-cfg");
        KubeResources.Node.CollectionPath(null).Should().Be("/api/v1/nodes");
        KubeResources.Pod.CollectionPath(null).Should().Be("/api/v1/pods", "no namespace lists all namespaces");
    }

    [Fact]
    public void Named_group_paths_use_apis_and_subresources()
    {
        KubeResources.GatewayV1Beta1.ObjectPath("gw-a", null, "status")
            .Should().Be("/apis/raven.openyurt.io/v1beta1/gateways/gw-a/status");
        KubeResources.Lease.ObjectPath("raven-controller", "kube-system")
            .Should().Be("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/raven-controller");
        KubeResources.CertificateSigningRequest.CollectionPath("ignored")
            .Should().Be("/apis/certificates.k8s.io/v1/certificatesigningrequests", "cluster-scoped types have no namespace segment");
        KubeResources.BlockAffinity.ApiVersion.Should().Be("crd.projectcalico.org/v1");
    }

    [Fact]
    public void Names_are_escaped_and_required()
    {
        KubeResources.Node.ObjectPath("a b", null).Should().Be("/api/v1/nodes/a%20b");
        var noName = () => KubeResources.Node.ObjectPath("", null);
        noName.Should().Throw<ArgumentException>().WithMessage("*metadata.name*");
        var noNamespace = () => KubeResources.ConfigMap.ObjectPath("x", null);
        noNamespace.Should().Throw<ArgumentException>().WithMessage("*metadata.namespace*");
    }

    [Fact]
    public void List_query_encodes_selectors_and_paging()
    {
        var options = new ListOptions
        {
            LabelSelector = "raven.openyurt.io/gateway in (gw-a,gw-b),!edge",
            FieldSelector = "metadata.name=node-1",
            Limit = 100,
            Continue = "abc=",
        };

        options.ToQuery(watch: false).Should().Be(
            "labelSelector=raven.openyurt.io%2Fgateway%20in%20%28gw-a%2Cgw-b%29%2C%21edge"
            + "&fieldSelector=metadata.name%3Dnode-1&limit=100&continue=abc%3D");
    }

    [Fact]
    public void Watch_query_carries_version_bookmarks_and_timeout_but_no_paging()
    {
        var options = new ListOptions { ResourceVersion = "42", AllowWatchBookmarks = true, TimeoutSeconds = 300, Limit = 5, Continue = "x" };

        options.ToQuery(watch: true).Should().Be("resourceVersion=42&timeoutSeconds=300&watch=true&allowWatchBookmarks=true");
    }

    [Fact]
    public void Label_selectors_format_every_operator()
    {
        var selector = new LabelSelector
        {
            MatchLabels = new() { ["b"] = "2", ["a"] = "1" },
            MatchExpressions =
            [
                new() { Key = "zone", Operator = "In", Values = ["z2", "z1"] },
                new() { Key = "tier", Operator = "NotIn", Values = ["db"] },
                new() { Key = "edge", Operator = "Exists" },
                new() { Key = "master", Operator = "DoesNotExist" },
            ],
        };

        Selectors.Format(selector).Should().Be("a=1,b=2,zone in (z1,z2),tier notin (db),edge,!master");
    }

    [Fact]
    public void Unknown_selector_operators_are_named()
    {
        var selector = new LabelSelector { MatchExpressions = [new() { Key = "k", Operator = "Gt" }] };

        var act = () => Selectors.Format(selector);

        act.Should().Throw<ArgumentException>().WithMessage("*operator 'Gt' for key 'k'*");
    }
}
