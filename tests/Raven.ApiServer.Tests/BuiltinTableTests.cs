using System.Text.Json.Nodes;
using Raven.ApiServer.Tables;

namespace Raven.ApiServer.Tests;

/// <summary>The rows of the built-in tables, cell by cell, against the values kubectl's printers give for the same objects.</summary>
public class BuiltinTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, string?> Row(TableLayout layout, string json)
    {
        var cells = layout.Cells(JsonNode.Parse(json)!.AsObject(), Now);
        cells.Should().HaveCount(layout.Columns.Count);
        return layout.Columns.Select((c, i) => (c.Name, Value: cells[i] is null ? null : JsonPath.Print(cells[i])))
            .ToDictionary(p => p.Name, p => p.Value);
    }

    [Fact]
    public void A_node_shows_status_roles_age_version_and_the_wide_system_columns()
    {
        var row = Row(NodeTable.Layout, """
            {"metadata":{"name":"hz-1","creationTimestamp":"2026-03-01T11:55:00Z",
              "labels":{"node-role.kubernetes.io/control-plane":"","node-role.kubernetes.io/edge":"","kubernetes.io/role":"gateway"}},
             "spec":{"unschedulable":true},
             "status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"False"}],
              "addresses":[{"type":"Hostname","address":"hz-1"},{"type":"InternalIP","address":"172.16.2.103"},{"type":"InternalIP","address":"172.16.2.200"}],
              "nodeInfo":{"kubeletVersion":"v1.32.4","osImage":"Debian GNU/Linux 12 (bookworm)","kernelVersion":"6.1.0-41-amd64","containerRuntimeVersion":"containerd://1.7.24"}}}
            """);

        row.Should().Equal(new Dictionary<string, string?>
        {
            ["Name"] = "hz-1",
            ["Status"] = "NotReady,SchedulingDisabled",
            ["Roles"] = "control-plane,edge,gateway",
            ["Age"] = "5m",
            ["Version"] = "v1.32.4",
            ["Internal-IP"] = "172.16.2.103",
            ["External-IP"] = "<none>",
            ["OS-Image"] = "Debian GNU/Linux 12 (bookworm)",
            ["Kernel-Version"] = "6.1.0-41-amd64",
            ["Container-Runtime"] = "containerd://1.7.24",
        });
        NodeTable.Layout.Columns.Where(c => c.Priority == 0).Select(c => c.Name).Should().Equal("Name", "Status", "Roles", "Age", "Version");
    }

    [Fact]
    public void A_bare_node_shows_the_placeholders_kubectl_uses()
    {
        var row = Row(NodeTable.Layout, """{"metadata":{"name":"n"}}""");

        row["Status"].Should().Be("Unknown");
        row["Roles"].Should().Be("<none>");
        row["Age"].Should().Be("<unknown>");
        row["Internal-IP"].Should().Be("<none>");
        row["OS-Image"].Should().Be("<unknown>");
    }

    [Theory]
    [InlineData("""{"type":"ClusterIP","clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"ports":[{"port":53,"protocol":"UDP"},{"port":9153}],"selector":{"k8s-app":"dns","a":"b"}}""", null,
        "ClusterIP", "10.96.0.10", "<none>", "53/UDP,9153/TCP", "a=b,k8s-app=dns")]
    [InlineData("""{"type":"NodePort","clusterIP":"10.96.0.11","ports":[{"port":80,"nodePort":30080,"protocol":"TCP"}],"externalIPs":["192.0.2.7"]}""", null,
        "NodePort", "10.96.0.11", "192.0.2.7", "80:30080/TCP", "<none>")]
    [InlineData("""{"type":"LoadBalancer","clusterIP":"10.96.0.12","ports":[{"port":4500,"protocol":"UDP"}]}""", null,
        "LoadBalancer", "10.96.0.12", "<pending>", "4500/UDP", "<none>")]
    [InlineData("""{"type":"LoadBalancer","clusterIP":"10.96.0.12","ports":[{"port":4500,"protocol":"UDP"}]}""", """{"loadBalancer":{"ingress":[{"ip":"203.0.113.10"},{"hostname":"lb.example"}]}}""",
        "LoadBalancer", "10.96.0.12", "203.0.113.10,lb.example", "4500/UDP", "<none>")]
    [InlineData("""{"type":"ExternalName","externalName":"db.example"}""", null,
        "ExternalName", "<none>", "db.example", "<none>", "<none>")]
    public void A_service_row_follows_its_type(string spec, string? status, string type, string clusterIp, string externalIp, string ports, string selector)
    {
        var row = Row(ServiceTable.Layout, $$"""{"metadata":{"name":"s","creationTimestamp":"2026-02-27T12:00:00Z"},"spec":{{spec}},"status":{{status ?? "{}"}}}""");

        row.Should().Equal(new Dictionary<string, string?>
        {
            ["Name"] = "s", ["Type"] = type, ["Cluster-IP"] = clusterIp, ["External-IP"] = externalIp, ["Port(s)"] = ports, ["Age"] = "2d",
            ["Selector"] = selector,
        });
    }

    [Fact]
    public void Configmaps_secrets_namespaces_and_leases_show_their_one_fact()
    {
        Row(SimpleTables.ConfigMaps, """{"metadata":{"name":"raven-cfg"},"data":{"a":"1","b":"2"},"binaryData":{"c":"AA=="}}""")["Data"].Should().Be("3");
        var secret = Row(SimpleTables.Secrets, """{"metadata":{"name":"s"},"type":"kubernetes.io/tls","data":{"tls.crt":"","tls.key":""}}""");
        (secret["Type"], secret["Data"]).Should().Be(("kubernetes.io/tls", "2"));
        Row(SimpleTables.Namespaces, """{"metadata":{"name":"kube-system"},"status":{"phase":"Active"}}""")["Status"].Should().Be("Active");
        Row(SimpleTables.Leases, """{"metadata":{"name":"raven-agent-hz-1"},"spec":{"holderIdentity":"hz-1"}}""")["Holder"].Should().Be("hz-1");
        Row(SimpleTables.Leases, """{"metadata":{"name":"free"},"spec":{}}""")["Holder"].Should().Be("");
    }

    [Fact]
    public void Endpoints_list_three_addresses_then_count_the_rest()
    {
        var row = Row(SimpleTables.Endpoints, """
            {"metadata":{"name":"x-raven-proxy-internal-svc"},"subsets":[
              {"addresses":[{"ip":"192.168.0.195"},{"ip":"192.168.0.196"}],"ports":[{"name":"https-10250","port":10263},{"name":"http-10255","port":10264}]}]}
            """);

        row["Endpoints"].Should().Be("192.168.0.195:10263,192.168.0.196:10263,192.168.0.195:10264 + 1 more...");
        Row(SimpleTables.Endpoints, """{"metadata":{"name":"e"}}""")["Endpoints"].Should().Be("<none>");
        Row(SimpleTables.Endpoints, """{"metadata":{"name":"e"},"subsets":[{"addresses":[{"ip":"fd00::1"}],"ports":[{"port":80}]}]}""")["Endpoints"].Should().Be("[fd00::1]:80");
    }

    [Theory]
    [InlineData("""{}""", "Pending")]
    [InlineData("""{"conditions":[{"type":"Approved","status":"True"}]}""", "Approved")]
    [InlineData("""{"conditions":[{"type":"Approved","status":"True"}],"certificate":"LS0t"}""", "Approved,Issued")]
    [InlineData("""{"conditions":[{"type":"Approved"},{"type":"Denied"},{"type":"Failed"}]}""", "Denied,Failed")]
    public void A_csr_condition_reads_as_kubectl_prints_it(string status, string condition)
    {
        var row = Row(SimpleTables.CertificateSigningRequests, $$"""
            {"metadata":{"name":"csr-1"},"spec":{"signerName":"kubernetes.io/kubelet-serving","username":"system:node:hz-1","expirationSeconds":86400},"status":{{status}}}
            """);

        row["Condition"].Should().Be(condition);
        row["SignerName"].Should().Be("kubernetes.io/kubelet-serving");
        row["Requestor"].Should().Be("system:node:hz-1");
        row["RequestedDuration"].Should().Be("24h");
    }

    [Theory]
    [InlineData("""{"phase":"Pending"}""", "0/2", "Pending", "0")]
    [InlineData("""{"phase":"Running","podIP":"10.244.18.2","containerStatuses":[{"ready":true,"restartCount":2,"state":{"running":{}},"lastState":{"terminated":{"finishedAt":"2026-03-01T11:59:00Z"}}},{"ready":false,"restartCount":0,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}""",
        "1/2", "CrashLoopBackOff", "2 (60s ago)")]
    [InlineData("""{"phase":"Pending","initContainerStatuses":[{"restartCount":0,"state":{"terminated":{"exitCode":1}}}]}""", "0/2", "Init:ExitCode:1", "0")]
    [InlineData("""{"phase":"Pending","initContainerStatuses":[{"restartCount":0,"state":{"running":{}}}]}""", "0/2", "Init:0/1", "0")]
    public void A_pod_row_sums_readiness_restarts_and_reason(string status, string ready, string reason, string restarts)
    {
        var row = Row(PodTable.Layout, $$"""
            {"metadata":{"name":"p"},"spec":{"nodeName":"hz-1","initContainers":[{"name":"i"}],"containers":[{"name":"a"},{"name":"b"}]},"status":{{status}}}
            """);

        (row["Ready"], row["Status"], row["Restarts"], row["Node"]).Should().Be((ready, reason, restarts, "hz-1"));
    }

    [Fact]
    public void An_event_row_has_no_name_column_first_and_names_the_object()
    {
        var row = Row(EventTable.Layout, """
            {"metadata":{"name":"gw-cloud.1a2b"},"type":"Normal","reason":"ActiveEndpointElected","message":" elected ",
             "involvedObject":{"kind":"Gateway","name":"gw-cloud"},"source":{"component":"raven-controller"},
             "firstTimestamp":"2026-03-01T11:00:00Z","lastTimestamp":"2026-03-01T11:58:00Z","count":3}
            """);

        EventTable.Layout.Columns[0].Name.Should().Be("Last Seen");
        (row["Last Seen"], row["Object"], row["Message"], row["Source"], row["First Seen"], row["Count"])
            .Should().Be(("2m", "gateway/gw-cloud", "elected", "raven-controller", "60m", "3"));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(125, "2m5s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 60, "3h1m")]
    [InlineData(9 * 3600, "9h")]
    [InlineData(3 * 86400 + 3600, "3d1h")]
    [InlineData(30 * 86400, "30d")]
    [InlineData(3 * 365 * 86400 + 86400 * 5, "3y5d")]
    public void Ages_read_like_kubectl(long seconds, string text) => HumanDuration.Format(TimeSpan.FromSeconds(seconds)).Should().Be(text);
}
