using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Raven.Api.Manifests;

/// <summary>
/// Turns a YAML (or JSON) stream into JSON documents while remembering lines, so later errors can
/// say "document 2, line 18". Duplicate keys are accepted when both values agree and rejected
/// otherwise; anchors, aliases and merge keys (&lt;&lt;) are resolved.
/// </summary>
public static class YamlStreamReader
{
    private const string MergeKey = "<<";

    public static IReadOnlyList<YamlDocument> Read(string text)
    {
        var documents = new List<YamlDocument>();
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out var start))
            {
                var builder = new DocumentBuilder(parser);
                var root = parser.Accept<DocumentEnd>(out _) ? null : builder.ReadNode("");
                parser.Consume<DocumentEnd>();
                documents.Add(new YamlDocument
                {
                    Index = documents.Count + 1,
                    StartLine = (int)start.Start.Line,
                    Root = root,
                    Lines = builder.Lines,
                    Problems = builder.Problems,
                });
            }
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner sometimes fails this way on malformed input instead of with a YamlException.
            var line = (int)(parser.Current?.End.Line ?? 0);
            documents.Add(new YamlDocument
            {
                Index = documents.Count + 1,
                StartLine = line,
                Problems = [new ManifestProblem(ProblemSeverity.Error, line, $"not valid YAML after this line: {ex.Message}")],
            });
        }
        catch (YamlException ex)
        {
            documents.Add(new YamlDocument
            {
                Index = documents.Count + 1,
                StartLine = (int)ex.Start.Line,
                Problems = [new ManifestProblem(ProblemSeverity.Error, (int)ex.Start.Line, $"not valid YAML: {Describe(ex)}")],
            });
        }

        return documents;
    }

    private static string Describe(YamlException ex)
    {
        // YamlDotNet prefixes messages with "(Line: a, Col: b, ...)": we report the line ourselves.
        var message = ex.InnerException?.Message ?? ex.Message;
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith('(') && close > 0 ? message[(close + 3)..] : message;
    }

    private sealed class DocumentBuilder(IParser parser)
    {
        private readonly Dictionary<string, JsonNode?> anchors = new(StringComparer.Ordinal);

        public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

        public List<ManifestProblem> Problems { get; } = [];

        public JsonNode? ReadNode(string path)
        {
            var current = parser.Current ?? throw new YamlException("unexpected end of the stream");
            JsonNode? node = current switch
            {
                AnchorAlias alias => ResolveAlias(alias),
                Scalar scalar => ReadScalar(scalar),
                SequenceStart => ReadSequence(path),
                MappingStart => ReadMapping(path),
                _ => throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}"),
            };
            if (current is NodeEvent { Anchor.IsEmpty: false } withAnchor)
            {
                anchors[withAnchor.Anchor.Value] = node?.DeepClone();
            }

            return node;
        }

        private JsonNode? ResolveAlias(AnchorAlias alias)
        {
            parser.MoveNext();
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} refers to no anchor defined before it");
            }

            return target?.DeepClone();
        }

        private JsonNode? ReadScalar(Scalar scalar)
        {
            parser.MoveNext();
            var tag = scalar.Tag.IsEmpty ? "" : scalar.Tag.Value;
            if (tag is "tag:yaml.org,2002:str" || scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            {
                return JsonValue.Create(scalar.Value);
            }

            return YamlScalars.ResolvePlain(scalar.Value);
        }

        private JsonArray ReadSequence(string path)
        {
            parser.Consume<SequenceStart>();
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                var itemPath = FieldPath.Index(path, array.Count);
                Lines[itemPath] = (int)parser.Current!.Start.Line;
                array.Add(ReadNode(itemPath));
            }

            return array;
        }

        private JsonObject ReadMapping(string path)
        {
            parser.Consume<MappingStart>();
            var map = new JsonObject();
            var keyLines = new Dictionary<string, int>(StringComparer.Ordinal);
            var merges = new List<JsonNode?>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = parser.Current!;
                var keyLine = (int)keyEvent.Start.Line;
                var key = ReadNode(path) switch
                {
                    null => "null",
                    JsonValue v => v.ToString(),
                    _ => throw new YamlException(keyEvent.Start, keyEvent.End, "mapping keys must be scalars"),
                };
                var childPath = FieldPath.Child(path, key);
                var value = ReadNode(childPath);
                if (key == MergeKey && keyEvent is Scalar { Style: ScalarStyle.Plain })
                {
                    merges.Add(value);
                    continue;
                }

                if (keyLines.TryGetValue(key, out var firstLine))
                {
                    ReportDuplicate(map, key, value, firstLine, keyLine);
                    continue;
                }

                keyLines[key] = keyLine;
                Lines[childPath] = keyLine;
                map[key] = value;
            }

            foreach (var merge in merges)
            {
                ApplyMerge(map, merge, path);
            }

            return map;
        }

        private void ReportDuplicate(JsonObject map, string key, JsonNode? value, int firstLine, int line)
        {
            if (JsonNode.DeepEquals(map[key], value))
            {
                Problems.Add(new ManifestProblem(ProblemSeverity.Warning, line,
                    $"key '{key}' repeats line {firstLine} with the same value; the repetition is ignored"));
                return;
            }

            Problems.Add(new ManifestProblem(ProblemSeverity.Error, line,
                $"key '{key}' is given twice with different values (lines {firstLine} and {line}); keep one"));
        }

        private void ApplyMerge(JsonObject map, JsonNode? merge, string path)
        {
            var sources = merge switch
            {
                JsonObject single => [single],
                JsonArray many => many.OfType<JsonObject>().ToList(),
                _ => new List<JsonObject>(),
            };
            if (sources.Count == 0)
            {
                Problems.Add(new ManifestProblem(ProblemSeverity.Error, Lines.GetValueOrDefault(path), "a merge key (<<) must refer to a mapping"));
                return;
            }

            // Explicit keys win over merged ones; earlier merge sources win over later ones.
            foreach (var source in sources)
            {
                foreach (var (key, value) in source)
                {
                    if (!map.ContainsKey(key))
                    {
                        map[key] = value?.DeepClone();
                    }
                }
            }
        }
    }
}
