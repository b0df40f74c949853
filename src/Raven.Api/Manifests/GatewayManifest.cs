using System.Text.Json.Nodes;
using Raven.Api.V1Beta1;

namespace Raven.Api.Manifests;

/// <summary>The verdict on one object of a manifest.</summary>
public sealed class GatewayManifest
{
    /// <summary>1-based document number in the stream.</summary>
    public required int Document { get; init; }

    /// <summary>Line where the object starts.</summary>
    public required int Line { get; init; }

    public string? Name { get; init; }
    public string? ApiVersion { get; init; }
    public string? Kind { get; init; }

    /// <summary>True when the object is not a raven.openyurt.io Gateway and was left alone.</summary>
    public bool Skipped { get; init; }

    /// <summary>The object as the server would store it before defaulting: pruned and converted to v1beta1.</summary>
    public Gateway? Gateway { get; init; }

    /// <summary>The object as written (after pruning), in its own version.</summary>
    public JsonObject? Source { get; init; }

    public IReadOnlyList<ManifestProblem> Problems { get; init; } = [];

    public bool IsValid => !Skipped && Gateway is not null && Problems.All(p => p.Severity != ProblemSeverity.Error);

    public IEnumerable<ManifestProblem> Errors => Problems.Where(p => p.Severity == ProblemSeverity.Error);

    public IEnumerable<ManifestProblem> Warnings => Problems.Where(p => p.Severity == ProblemSeverity.Warning);

    public string Title => $"document {Document} (line {Line}) {Kind ?? "object"} {Name ?? "<unnamed>"} [{ApiVersion ?? "no apiVersion"}]";
}
