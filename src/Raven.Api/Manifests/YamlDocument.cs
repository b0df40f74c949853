using System.Text.Json.Nodes;

namespace Raven.Api.Manifests;

/// <summary>One document of a multi-document YAML or JSON stream, as JSON, with where each field was written.</summary>
public sealed class YamlDocument
{
    public required int Index { get; init; }
    public required int StartLine { get; init; }
    public JsonNode? Root { get; init; }

    /// <summary>Field path ("spec.endpoints[1].underNAT") → line of its key or item.</summary>
    public IReadOnlyDictionary<string, int> Lines { get; init; } = new Dictionary<string, int>();

    public IReadOnlyList<ManifestProblem> Problems { get; init; } = [];

    public bool HasErrors => Problems.Any(p => p.Severity == ProblemSeverity.Error);

    /// <summary>The line of a path, or of its nearest written ancestor.</summary>
    public int LineOf(string path)
    {
        for (var p = path; p.Length > 0; p = FieldPath.Parent(p))
        {
            if (Lines.TryGetValue(p, out var line))
            {
                return line;
            }
        }

        return StartLine;
    }
}
