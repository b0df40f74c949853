using System.Text.RegularExpressions;
using Raven.Api.Manifests;

namespace Raven.Controller.Config;

/// <summary>
/// Pure: a raven-cfg manifest as text → what is wrong with it, line by line, and the corrected text. It catches the
/// two mistakes of the L7 proposal's printed example, which never reach the controller because kubectl refuses them:
/// block-scalar lines not indented under their key (the YAML does not parse), and unquoted true/false/numbers
/// (ConfigMap data must be strings). Then the data itself is checked as the controller checks it.
/// </summary>
public static partial class RavenCfgManifestCheck
{
    public sealed record Result(IReadOnlyList<string> Problems, string Corrected)
    {
        public bool IsValid => Problems.Count == 0;
    }

    public static Result Check(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var problems = new List<string>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        var corrected = new List<string>(lines.Count);
        int? dataIndent = null;
        int? entryIndent = null;
        (string Key, int Indent)? block = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var number = i + 1;
            var indent = line.Length - line.TrimStart(' ').Length;
            var content = line.Trim();
            if (content.Length == 0 || content.StartsWith('#'))
            {
                corrected.Add(line);
                continue;
            }

            if (block is { } open)
            {
                if (indent > open.Indent)
                {
                    corrected.Add(line);
                    continue;
                }

                if (!Entry().IsMatch(content) && content.Contains('=', StringComparison.Ordinal))
                {
                    problems.Add($"line {number}: \"{content}\" belongs to the '|' block of {open.Key} but is not indented under it (YAML then fails to parse); indent it by two more spaces than \"{open.Key}:\"");
                    corrected.Add(new string(' ', open.Indent + 2) + content);
                    continue;
                }

                block = null;
            }

            if (content == "data:")
            {
                dataIndent = indent;
                entryIndent = null;
                corrected.Add(line);
                continue;
            }

            if (dataIndent is { } d && indent <= d)
            {
                dataIndent = null; // left the data section
            }

            if (dataIndent is not null && Entry().Match(content) is { Success: true } entry)
            {
                entryIndent ??= indent;
                var key = entry.Groups["key"].Value;
                var value = entry.Groups["value"].Value.Trim();
                if (value is "|" or "|-" or "|+" or ">" or ">-")
                {
                    block = (key, indent);
                    corrected.Add(line);
                    continue;
                }

                if (NotAString().IsMatch(value))
                {
                    problems.Add($"line {number}: {key}: {value} is read as a {(char.IsDigit(value.TrimStart('-', '+')[0]) || value.StartsWith('.') ? "number" : "boolean or null")}, but ConfigMap data must be strings; write {key}: \"{value}\"");
                    corrected.Add($"{new string(' ', indent)}{key}: \"{value}\"");
                    continue;
                }
            }

            corrected.Add(line);
        }

        var fixedText = string.Join("\n", corrected);
        var documents = YamlStreamReader.Read(fixedText);
        foreach (var problem in documents.SelectMany(d => d.Problems).Where(p => p.Severity == ProblemSeverity.Error))
        {
            problems.Add(problem.ToString());
        }

        foreach (var document in documents.Where(d => !d.HasErrors && d.Root?["kind"]?.GetValue<string>() == "ConfigMap"))
        {
            var data = document.Root!["data"]?.AsObject().ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.Ordinal);
            problems.AddRange(RavenConfigParser.Parse(data).Problems.Select(p => $"{(p.IsError ? "" : "warning: ")}{p.Message}"));
        }

        return new Result(problems, fixedText);
    }

    [GeneratedRegex("^(?<key>[A-Za-z0-9._-]+):(?<value>(\\s.*)?)$")]
    private static partial Regex Entry();

    /// <summary>Plain scalars YAML 1.1/1.2 readers (kubectl's included) turn into booleans, null or numbers.</summary>
    [GeneratedRegex("^(true|false|True|False|TRUE|FALSE|yes|no|Yes|No|YES|NO|on|off|On|Off|ON|OFF|null|Null|NULL|~|[-+]?[0-9][0-9_]*(\\.[0-9]*)?([eE][-+]?[0-9]+)?|[-+]?\\.[0-9]+)$")]
    private static partial Regex NotAString();
}
