namespace Raven.ApiServer;

/// <summary>A parsed field selector (=, ==, != on the fields a resource supports); unknown fields are a 400.</summary>
internal sealed class FieldSelector
{
    private sealed record Requirement(string Field, bool Equal, string Value);

    private readonly IReadOnlyList<Requirement> _requirements;

    private FieldSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static FieldSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    /// <summary>The exact name the selector pins with metadata.name=..., used by watches of one object.</summary>
    public string? Name => _requirements.FirstOrDefault(r => r.Field == "metadata.name" && r.Equal)?.Value;

    public bool Matches(IReadOnlyDictionary<string, string> fields) => _requirements.All(r =>
    {
        var actual = fields.TryGetValue(r.Field, out var v) ? v : "";
        return r.Equal ? actual == r.Value : actual != r.Value;
    });

    /// <exception cref="ApiException">400 when the selector cannot be parsed or names a field the resource lacks.</exception>
    public static FieldSelector Parse(string? text, ResourceType type)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var supported = ObjectFacts.SupportedFields(type);
        var requirements = new List<Requirement>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var (at, length, equal) = part.IndexOf("!=", StringComparison.Ordinal) is var ne and >= 0 ? (ne, 2, false)
                : part.IndexOf("==", StringComparison.Ordinal) is var ee and >= 0 ? (ee, 2, true)
                : (part.IndexOf('=', StringComparison.Ordinal), 1, true);
            if (at <= 0) throw ApiException.BadRequest($"invalid field selector \"{text}\": cannot parse \"{part}\"");
            var field = part[..at].Trim();
            if (!supported.Contains(field))
            {
                throw ApiException.BadRequest($"field label not supported: {field}");
            }

            requirements.Add(new Requirement(field, equal, part[(at + length)..].Trim()));
        }

        return new FieldSelector(requirements);
    }
}
