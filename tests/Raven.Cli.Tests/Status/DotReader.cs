using System.Text.RegularExpressions;

namespace Raven.Cli.Tests.Status;

/// <summary>
/// Reads back the structure of a DOT graph as GraphDot writes it (one statement per line): clusters and the nodes
/// declared in them, node attributes, edges with attributes. Enough to assert the graph's shape, not a DOT parser.
/// </summary>
internal sealed partial class DotReader
{
    public Dictionary<string, List<string>> Clusters { get; } = [];
    public Dictionary<string, Dictionary<string, string>> Nodes { get; } = [];
    public List<(string From, string To, Dictionary<string, string> Attributes)> Edges { get; } = [];

    public static DotReader Read(string dot)
    {
        var graph = new DotReader();
        string? cluster = null;
        var depth = 0;
        foreach (var raw in dot.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("graph raven {", StringComparison.Ordinal))
            {
                depth++;
            }
            else if (Subgraph().Match(line) is { Success: true } sub)
            {
                cluster = sub.Groups[1].Value;
                graph.Clusters[cluster] = [];
                depth++;
            }
            else if (line == "}")
            {
                depth--;
                cluster = null;
            }
            else if (Edge().Match(line) is { Success: true } edge)
            {
                graph.Edges.Add((edge.Groups[1].Value, edge.Groups[2].Value, Attributes(edge.Groups[3].Value)));
            }
            else if (NodeStatement().Match(line) is { Success: true } node)
            {
                graph.Nodes[node.Groups[1].Value] = Attributes(node.Groups[2].Value);
                if (cluster is not null)
                {
                    graph.Clusters[cluster].Add(node.Groups[1].Value);
                }
            }
        }

        depth.Should().Be(0, "every brace is closed");
        return graph;
    }

    private static Dictionary<string, string> Attributes(string list) =>
        Attribute().Matches(list).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value);

    [GeneratedRegex("""^subgraph "([^"]+)" \{$""")]
    private static partial Regex Subgraph();

    [GeneratedRegex("""^"([^"]+)" -- "([^"]+)" \[(.*)\];$""")]
    private static partial Regex Edge();

    [GeneratedRegex("""^"([^"]+)" \[(.*)\];$""")]
    private static partial Regex NodeStatement();

    [GeneratedRegex("""(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\]\s]+))""")]
    private static partial Regex Attribute();
}
