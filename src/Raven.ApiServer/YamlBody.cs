using System.Text.Json.Nodes;
using Raven.Api.Manifests;

namespace Raven.ApiServer;

/// <summary>A YAML (or JSON, its subset) request body as one JSON object, read by the same reader Raven's manifests use.</summary>
internal static class YamlBody
{
    public static JsonObject ParseObject(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw ApiException.BadRequest("the request body is empty");
        var documents = YamlStreamReader.Read(text).Where(d => d.Root is not null || d.HasErrors).ToList();
        if (documents.Count != 1) throw ApiException.BadRequest($"the request body must hold one YAML document, found {documents.Count}");
        var document = documents[0];
        var error = document.Problems.FirstOrDefault(p => p.Severity == ProblemSeverity.Error);
        if (error is not null) throw ApiException.BadRequest($"error converting YAML to JSON: yaml: line {error.Line}: {error.Message}");
        return document.Root as JsonObject ?? throw ApiException.BadRequest("the request body must be an object");
    }
}
