using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Raven.ApiServer.Tables;

/// <summary>
/// One expression of the JSONPath dialect Kubernetes uses (client-go util/jsonpath), the part CRD printer columns and
/// kubectl users write: <c>.a.b</c>, <c>['a.b']</c>, <c>a\.b</c>, <c>[n]</c>, <c>[-1]</c>, <c>[a:b]</c>, <c>[0,2]</c>,
/// <c>[*]</c>, <c>.*</c>, <c>..name</c> and filters such as <c>[?(@.type=="tunnel")]</c> with == != &lt; &gt; &lt;= &gt;=
/// or a bare <c>[?(@.ready)]</c>. Missing keys give no result instead of an error, as the API server's table convertor
/// asks for. Written here rather than taken from a package: the NuGet libraries implement Goessner's dialect on their own
/// JSON trees, while this one works on System.Text.Json nodes and follows client-go where the two differ.
/// </summary>
internal sealed class JsonPath
{
    private readonly IReadOnlyList<Step> _steps;

    private JsonPath(string text, IReadOnlyList<Step> steps)
    {
        Text = text;
        _steps = steps;
    }

    public string Text { get; }

    /// <summary>Parses <c>.status.x</c> or <c>{.status.x}</c>; throws <see cref="FormatException"/> naming the position.</summary>
    public static JsonPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var body = text.Trim();
        if (body.StartsWith('{') && body.EndsWith('}')) body = body[1..^1].Trim();
        if (body.StartsWith('$')) body = body[1..];
        var reader = new Reader(text, body);
        var steps = reader.ReadSteps(inFilter: false);
        if (!reader.AtEnd) throw reader.Error("unexpected character");
        return new JsonPath(text, steps);
    }

    public static bool TryParse(string text, out JsonPath? path, out string error)
    {
        try
        {
            path = Parse(text);
            error = "";
            return true;
        }
        catch (FormatException e)
        {
            path = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Every value the path selects, in document order; empty when nothing matches.</summary>
    public IReadOnlyList<JsonNode?> Select(JsonNode? root) => Apply(_steps, [root]);

    /// <summary>A selected value as kubectl prints it: strings bare, everything else as JSON.</summary>
    public static string Print(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    private static List<JsonNode?> Apply(IReadOnlyList<Step> steps, List<JsonNode?> nodes)
    {
        foreach (var step in steps)
        {
            nodes = nodes.SelectMany(step.Select).ToList();
        }

        return nodes;
    }

    private abstract record Step
    {
        public abstract IEnumerable<JsonNode?> Select(JsonNode? node);
    }

    private sealed record FieldStep(string Name) : Step
    {
        public override IEnumerable<JsonNode?> Select(JsonNode? node)
        {
            if (node is JsonObject obj && obj.TryGetPropertyValue(Name, out var value)) yield return value;
        }
    }

    private sealed record WildcardStep : Step
    {
        public override IEnumerable<JsonNode?> Select(JsonNode? node) => node switch
        {
            JsonArray array => array,
            JsonObject obj => obj.Select(p => p.Value),
            _ => [],
        };
    }

    /// <summary>The node itself and everything below it, for <c>..</c>.</summary>
    private sealed record DescendantsStep : Step
    {
        public override IEnumerable<JsonNode?> Select(JsonNode? node)
        {
            yield return node;
            var children = node switch
            {
                JsonArray array => array.ToList(),
                JsonObject obj => obj.Select(p => p.Value).ToList(),
                _ => [],
            };
            foreach (var below in children.SelectMany(Select)) yield return below;
        }
    }

    private sealed record IndexStep(IReadOnlyList<int> Indexes) : Step
    {
        public override IEnumerable<JsonNode?> Select(JsonNode? node)
        {
            if (node is not JsonArray array) yield break;
            foreach (var index in Indexes)
            {
                var at = index < 0 ? array.Count + index : index;
                if (at >= 0 && at < array.Count) yield return array[at];
            }
        }
    }

    private sealed record SliceStep(int? Start, int? End, int Stride) : Step
    {
        public override IEnumerable<JsonNode?> Select(JsonNode? node)
        {
            if (node is not JsonArray array) yield break;
            var start = Clamp(Start ?? 0, array.Count);
            var end = Clamp(End ?? array.Count, array.Count);
            for (var i = start; i < end; i += Stride) yield return array[i];
        }

        private static int Clamp(int index, int count) => Math.Clamp(index < 0 ? count + index : index, 0, count);
    }

    private sealed record FilterStep(IReadOnlyList<Step> Left, string? Operator, Operand? Right) : Step
    {
        public override IEnumerable<JsonNode?> Select(JsonNode? node)
        {
            if (node is not JsonArray array) yield break;
            foreach (var item in array.ToList())
            {
                var left = Apply(Left, [item]);
                if (left.Count == 0) continue;
                if (Operator is null || Right is null)
                {
                    yield return item;
                    continue;
                }

                var right = Right.Path is not null ? Apply(Right.Path, [item]) : [Right.Literal];
                if (right.Count == 0) continue;
                if (Compare(left[0], Operator, right[0])) yield return item;
            }
        }

        private static bool Compare(JsonNode? left, string op, JsonNode? right)
        {
            if (Number(left) is { } a && Number(right) is { } b)
            {
                return op switch
                {
                    "==" => a == b,
                    "!=" => a != b,
                    "<" => a < b,
                    ">" => a > b,
                    "<=" => a <= b,
                    _ => a >= b,
                };
            }

            if (left is JsonValue l && right is JsonValue r && l.GetValueKind() == r.GetValueKind())
            {
                var order = string.CompareOrdinal(Print(l), Print(r));
                return op switch
                {
                    "==" => order == 0,
                    "!=" => order != 0,
                    "<" => order < 0,
                    ">" => order > 0,
                    "<=" => order <= 0,
                    _ => order >= 0,
                };
            }

            return op == "!=" ? !JsonNode.DeepEquals(left, right) : op == "==" && JsonNode.DeepEquals(left, right);
        }

        private static double? Number(JsonNode? node) =>
            node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d) ? d : null;
    }

    private sealed record Operand(IReadOnlyList<Step>? Path, JsonNode? Literal);

    /// <summary>A cursor over the expression; errors name the offset in the text as written.</summary>
    private sealed class Reader(string original, string text)
    {
        private int _pos;

        public bool AtEnd => _pos >= text.Length;

        private char Current => text[_pos];

        public FormatException Error(string what) =>
            new($"jsonpath {original}: {what} at offset {Math.Min(_pos, text.Length)}");

        public List<Step> ReadSteps(bool inFilter)
        {
            var steps = new List<Step>();
            while (!AtEnd)
            {
                if (inFilter && (char.IsWhiteSpace(Current) || Current is '=' or '!' or '<' or '>' or ')')) break;
                if (Current == '.')
                {
                    _pos++;
                    if (!AtEnd && Current == '.')
                    {
                        _pos++;
                        steps.Add(new DescendantsStep());
                        if (!AtEnd && Current == '[') continue;
                    }

                    if (!AtEnd && Current == '*')
                    {
                        _pos++;
                        steps.Add(new WildcardStep());
                        continue;
                    }

                    var name = ReadName(inFilter);
                    if (name.Length > 0) steps.Add(new FieldStep(name));
                    else if (!AtEnd && Current != '[') throw Error("expected a field name");
                }
                else if (Current == '[')
                {
                    steps.Add(ReadBracket());
                }
                else if (steps.Count == 0 && !inFilter)
                {
                    // kubectl also takes "metadata.name" without the leading dot.
                    steps.Add(new FieldStep(ReadName(inFilter)));
                }
                else
                {
                    throw Error($"unexpected '{Current}'");
                }
            }

            return steps;
        }

        private string ReadName(bool inFilter)
        {
            var name = new StringBuilder();
            while (!AtEnd && Current is not ('.' or '['))
            {
                if (inFilter && (char.IsWhiteSpace(Current) || Current is '=' or '!' or '<' or '>' or ')')) break;
                if (Current == '\\' && _pos + 1 < text.Length)
                {
                    _pos++;
                }
                else if (Current is ']' or '(' or '{' or '}' or '\'' or '"' || char.IsWhiteSpace(Current))
                {
                    throw Error($"unexpected '{Current}' in a field name");
                }

                name.Append(Current);
                _pos++;
            }

            return name.ToString();
        }

        private Step ReadBracket()
        {
            _pos++; // [
            SkipSpaces();
            Step step;
            if (!AtEnd && Current == '?')
            {
                step = ReadFilter();
            }
            else if (!AtEnd && Current is '\'' or '"')
            {
                step = new FieldStep(ReadQuoted());
            }
            else if (!AtEnd && Current == '*')
            {
                _pos++;
                step = new WildcardStep();
            }
            else
            {
                var close = text.IndexOf(']', _pos);
                if (close < 0) throw Error("missing ']'");
                step = IndexOrSlice(text[_pos..close]);
                _pos = close;
            }

            SkipSpaces();
            if (AtEnd || Current != ']') throw Error("missing ']'");
            _pos++;
            return step;
        }

        private Step IndexOrSlice(string inside)
        {
            if (inside.Contains(':', StringComparison.Ordinal))
            {
                var parts = inside.Split(':');
                if (parts.Length > 3) throw Error($"bad slice [{inside}]");
                var stride = parts.Length == 3 && parts[2].Trim().Length > 0 ? Integer(parts[2]) : 1;
                if (stride <= 0) throw Error($"bad slice step in [{inside}]");
                return new SliceStep(Optional(parts[0]), Optional(parts[1]), stride);
            }

            return new IndexStep(inside.Split(',').Select(Integer).ToList());
        }

        private int? Optional(string part) => part.Trim().Length == 0 ? null : Integer(part);

        private int Integer(string part) =>
            int.TryParse(part.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Error($"'{part.Trim()}' is not an array index");

        private FilterStep ReadFilter()
        {
            _pos++; // ?
            if (AtEnd || Current != '(') throw Error("expected '(' after '?'");
            _pos++;
            SkipSpaces();
            var left = ReadRelativePath();
            SkipSpaces();
            string? op = null;
            Operand? right = null;
            if (!AtEnd && Current is '=' or '!' or '<' or '>')
            {
                op = ReadOperator();
                SkipSpaces();
                right = ReadOperand();
                SkipSpaces();
            }

            if (AtEnd || Current != ')') throw Error("missing ')' of the filter");
            _pos++;
            return new FilterStep(left, op, right);
        }

        private List<Step> ReadRelativePath()
        {
            if (AtEnd || Current != '@') throw Error("a filter must start with '@'");
            _pos++;
            return ReadSteps(inFilter: true);
        }

        private string ReadOperator()
        {
            foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
            {
                if (string.CompareOrdinal(text, _pos, op, 0, op.Length) == 0)
                {
                    _pos += op.Length;
                    return op;
                }
            }

            throw Error("unknown operator");
        }

        private Operand ReadOperand()
        {
            if (AtEnd) throw Error("missing the right side of the filter");
            if (Current == '@') return new Operand(ReadRelativePath(), null);
            if (Current is '\'' or '"') return new Operand(null, JsonValue.Create(ReadQuoted()));
            var start = _pos;
            while (!AtEnd && !char.IsWhiteSpace(Current) && Current != ')') _pos++;
            var word = text[start.._pos];
            if (word is "true" or "false") return new Operand(null, JsonValue.Create(word == "true"));
            if (word == "null") return new Operand(null, null);
            return double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? new Operand(null, JsonValue.Create(number))
                : throw Error($"'{word}' is neither a quoted string, a number, true, false nor a path starting with @");
        }

        private string ReadQuoted()
        {
            var quote = Current;
            _pos++;
            var value = new StringBuilder();
            while (!AtEnd && Current != quote)
            {
                if (Current == '\\' && _pos + 1 < text.Length) _pos++;
                value.Append(Current);
                _pos++;
            }

            if (AtEnd) throw Error("unterminated string");
            _pos++;
            return value.ToString();
        }

        private void SkipSpaces()
        {
            while (!AtEnd && char.IsWhiteSpace(Current)) _pos++;
        }
    }
}
