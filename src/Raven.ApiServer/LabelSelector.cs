namespace Raven.ApiServer;

/// <summary>A parsed label selector (=, ==, !=, in, notin, exists, !exists); an empty selector matches everything.</summary>
internal sealed class LabelSelector
{
    private enum Op { Equals, NotEquals, In, NotIn, Exists, NotExists }

    private sealed record Requirement(string Key, Op Op, IReadOnlyList<string> Values);

    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r.Op switch
    {
        Op.Equals => labels.TryGetValue(r.Key, out var v) && v == r.Values[0],
        Op.NotEquals => !labels.TryGetValue(r.Key, out var v) || v != r.Values[0],
        Op.In => labels.TryGetValue(r.Key, out var v) && r.Values.Contains(v),
        Op.NotIn => !labels.TryGetValue(r.Key, out var v) || !r.Values.Contains(v),
        Op.Exists => labels.ContainsKey(r.Key),
        _ => !labels.ContainsKey(r.Key),
    });

    /// <exception cref="ApiException">400 when the selector cannot be parsed.</exception>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(ParseRequirement(part.Trim(), text));
        }

        return new LabelSelector(requirements);
    }

    private static Requirement ParseRequirement(string part, string whole)
    {
        if (part.Length == 0) throw Bad(whole, "empty requirement");
        if (part[0] == '!') return new Requirement(Key(part[1..].Trim(), whole), Op.NotExists, []);

        var set = ParseSet(part, whole);
        if (set is not null) return set;

        foreach (var (token, op) in new[] { ("!=", Op.NotEquals), ("==", Op.Equals), ("=", Op.Equals) })
        {
            var at = part.IndexOf(token, StringComparison.Ordinal);
            if (at < 0) continue;
            var value = part[(at + token.Length)..].Trim();
            if (value.IndexOfAny(['=', '!', '(', ')', ' ']) >= 0) throw Bad(whole, $"invalid value \"{value}\"");
            return new Requirement(Key(part[..at].Trim(), whole), op, [value]);
        }

        return new Requirement(Key(part, whole), Op.Exists, []);
    }

    private static Requirement? ParseSet(string part, string whole)
    {
        var open = part.IndexOf('(', StringComparison.Ordinal);
        if (open < 0) return null;
        if (!part.EndsWith(')')) throw Bad(whole, "missing ')'");
        var head = part[..open].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (head.Length != 2) throw Bad(whole, $"cannot parse \"{part}\"");
        var op = head[1] switch
        {
            "in" => Op.In,
            "notin" => Op.NotIn,
            _ => throw Bad(whole, $"unknown operator \"{head[1]}\""),
        };
        var values = part[(open + 1)..^1].Split(',').Select(v => v.Trim()).ToList();
        if (values.Any(v => v.Length == 0 && values.Count > 1)) throw Bad(whole, "empty value in set");
        return new Requirement(Key(head[0], whole), op, values);
    }

    private static string Key(string key, string whole)
    {
        if (key.Length == 0 || key.Length > 316 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')))
        {
            throw Bad(whole, $"invalid label key \"{key}\"");
        }

        return key;
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static ApiException Bad(string selector, string why) =>
        ApiException.BadRequest($"unable to parse requirement: invalid label selector \"{selector}\": {why}");
}
