using System.Xml.Linq;
using Raven.Agent.Linux.Processes;
using Raven.Cli.Status;
using static Raven.Cli.Tests.Status.ClusterFixture;

namespace Raven.Cli.Tests.Status;

public sealed class GraphDotTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("raven-graph-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Domains_are_clusters_holding_their_nodes()
    {
        var fixture = TwoDomains();
        fixture.Node("edge-1", null, "192.168.9.1").Lease("edge-1");

        var graph = DotReader.Read(GraphDot.Render(fixture.Report()));

        graph.Clusters.Keys.Should().BeEquivalentTo("cluster_gw-cloud", "cluster_gw-hangzhou", "cluster_no_gateway");
        graph.Clusters["cluster_gw-hangzhou"].Should().Equal("hz-1", "hz-2", "hz-3", "hz-4");
        graph.Clusters["cluster_gw-cloud"].Should().Equal("cloud-1");
        graph.Clusters["cluster_no_gateway"].Should().Equal("edge-1");
    }

    [Fact]
    public void Serving_standby_and_candidates_are_styled_apart()
    {
        var graph = DotReader.Read(GraphDot.Render(TwoDomains().Report()));

        graph.Nodes["hz-1"]["class"].Should().Be("serving");
        graph.Nodes["hz-2"]["class"].Should().Be("standby");
        graph.Nodes["hz-3"]["class"].Should().Be("candidate");
        graph.Nodes["hz-4"]["class"].Should().Be("member");
        new[] { "hz-1", "hz-2", "hz-3" }.Select(n => graph.Nodes[n]["style"]).Should().OnlyHaveUniqueItems("each role looks different");
        graph.Nodes["hz-1"]["label"].Should().Contain("tunnel serving").And.Contain("proxy").And.Contain("172.16.2.1");
    }

    [Fact]
    public void Serving_gateways_are_joined_by_tunnels_and_proxies_by_dashed_links()
    {
        var graph = DotReader.Read(GraphDot.Render(TwoDomains().Report()));

        var tunnels = graph.Edges.Where(e => e.Attributes["class"] == "tunnel").ToList();
        tunnels.Should().ContainSingle();
        (tunnels[0].From, tunnels[0].To).Should().Be(("cloud-1", "hz-1"), "only serving endpoints carry the domain's traffic");
        tunnels[0].Attributes["color"].Should().Be("darkgreen");
        var proxies = graph.Edges.Where(e => e.Attributes["class"] == "proxy").ToList();
        proxies.Should().ContainSingle().Which.Should().Match<(string From, string To, Dictionary<string, string> Attributes)>(
            e => e.From == "hz-1" && e.To == "cloud-1" && e.Attributes["style"] == "dashed");
    }

    [Fact]
    public void A_tunnel_to_a_node_in_trouble_is_red_and_the_node_says_why()
    {
        var fixture = TwoDomains();
        fixture.Lease("hz-1", renewedAgo: 60);

        var graph = DotReader.Read(GraphDot.Render(fixture.Report()));

        graph.Edges.Single(e => e.Attributes["class"] == "tunnel").Attributes["color"].Should().Be("red");
        graph.Nodes["hz-1"]["color"].Should().Be("red");
        graph.Nodes["hz-1"]["label"].Should().Contain("agent lease expired");
    }

    [Fact]
    public void Three_domains_have_a_tunnel_between_every_two_serving_gateways()
    {
        var fixture = TwoDomains();
        fixture.Gateway("gw-qingdao", null, tunnel: 1, proxy: 0, spec: [Tunnel("qd-1")], active: ["qd-1/tunnel"]).Node("qd-1", "gw-qingdao", "172.16.1.1").Lease("qd-1");

        var tunnels = DotReader.Read(GraphDot.Render(fixture.Report())).Edges.Where(e => e.Attributes["class"] == "tunnel").ToList();

        tunnels.Select(e => $"{e.From}-{e.To}").Should().BeEquivalentTo("cloud-1-hz-1", "cloud-1-qd-1", "hz-1-qd-1");
        tunnels.Single(e => e.From == "hz-1").Attributes["style"].Should().Be("dotted", "both ends are under NAT: the graph cannot tell punched from relayed");
    }

    [GraphvizFact]
    public async Task Dot_lays_it_out_as_an_svg_with_every_node_and_cluster()
    {
        var path = Path.Combine(_directory, "cluster.svg");

        var failure = await new GraphFile(new ProcessCommandRunner()).WriteAsync(GraphDot.Render(TwoDomains().Report()), path, CancellationToken.None);

        failure.Should().BeNull();
        var svg = XDocument.Load(path);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var groups = svg.Descendants(ns + "g").ToList();
        string Titles(string cls) => string.Join(",", groups.Where(g => ((string?)g.Attribute("class"))?.Split(' ').Contains(cls) ?? false)
            .Select(g => g.Element(ns + "title")?.Value).Order(StringComparer.Ordinal));
        Titles("node").Should().Be("cloud-1,hz-1,hz-2,hz-3,hz-4");
        Titles("cluster").Should().Be("cluster_gw-cloud,cluster_gw-hangzhou");
        Titles("edge").Should().Be("cloud-1--hz-1,hz-1--cloud-1", "the tunnel between the serving gateways and hz-1's L7 link to the exposed proxy");
        Titles("serving").Should().Be("cloud-1,hz-1", "the role class reaches the SVG, for styling and for tests");
        Titles("standby").Should().Be("hz-2");
    }

    [Fact]
    public async Task A_missing_dot_is_one_clear_line()
    {
        var failure = await new GraphFile(new ProcessCommandRunner(), "/nonexistent/dot").WriteAsync("graph raven {\n}\n", Path.Combine(_directory, "x.svg"), CancellationToken.None);

        failure.Should().Be("Graphviz `/nonexistent/dot` is not installed (needed for .svg): " + GraphFile.MissingDotHint);
    }

    [Fact]
    public async Task A_dot_file_is_written_as_text_and_other_extensions_are_refused()
    {
        var path = Path.Combine(_directory, "cluster.dot");
        var graphFile = new GraphFile(new ProcessCommandRunner(), "/nonexistent/dot");

        (await graphFile.WriteAsync("graph raven {\n}\n", path, CancellationToken.None)).Should().BeNull();
        File.ReadAllText(path).Should().Be("graph raven {\n}\n");
        (await graphFile.WriteAsync("", Path.Combine(_directory, "x.pdf"), CancellationToken.None)).Should().Contain("must end in .dot, .gv, .svg or .png");
    }
}
