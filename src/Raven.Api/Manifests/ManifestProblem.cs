namespace Raven.Api.Manifests;

public enum ProblemSeverity
{
    Warning,
    Error,
}

/// <summary>Something wrong with a manifest's text, located by line (1-based; 0 when unknown).</summary>
public sealed record ManifestProblem(ProblemSeverity Severity, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"line {Line}: {Message}" : Message;
}
