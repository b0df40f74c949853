using System.Globalization;
using System.Text.Json.Nodes;

namespace Raven.Api.Manifests;

/// <summary>
/// Resolves plain YAML scalars the way Kubernetes' YAML decoder (YAML 1.1 flavour) does, so that
/// `underNAT: yes` means true and `Replicas: 1` is a number, while quoted values stay strings.
/// </summary>
internal static class YamlScalars
{
    private static readonly HashSet<string> TrueWords = new(StringComparer.Ordinal) { "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y" };
    private static readonly HashSet<string> FalseWords = new(StringComparer.Ordinal) { "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N" };
    private static readonly HashSet<string> NullWords = new(StringComparer.Ordinal) { "", "~", "null", "Null", "NULL" };

    public static JsonNode? ResolvePlain(string text)
    {
        if (NullWords.Contains(text))
        {
            return null;
        }

        if (TrueWords.Contains(text))
        {
            return JsonValue.Create(true);
        }

        if (FalseWords.Contains(text))
        {
            return JsonValue.Create(false);
        }

        if (TryInteger(text, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (LooksNumeric(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }

    /// <summary>True when a string written without quotes would read back as something else.</summary>
    public static bool NeedsQuotes(string text)
    {
        if (ResolvePlain(text) is not JsonValue value || value.GetValueKind() != System.Text.Json.JsonValueKind.String)
        {
            return true;
        }

        return text.Length == 0 || text.Trim() != text || text.Contains(": ", StringComparison.Ordinal) ||
               text.Contains(" #", StringComparison.Ordinal) || "-?:,[]{}#&*!|>'\"%@`".Contains(text[0], StringComparison.Ordinal);
    }

    private static bool TryInteger(string text, out long value)
    {
        var s = text.Replace("_", "", StringComparison.Ordinal);
        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+'))
        {
            s = s[1..];
        }

        value = 0;
        bool ok;
        if (s.StartsWith("0x", StringComparison.Ordinal))
        {
            ok = long.TryParse(s[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        else if (s.StartsWith("0o", StringComparison.Ordinal))
        {
            ok = TryOctal(s[2..], out value);
        }
        else
        {
            ok = s.Length > 0 && s.All(char.IsAsciiDigit) && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        if (ok && negative)
        {
            value = -value;
        }

        return ok;
    }

    private static bool TryOctal(string digits, out long value)
    {
        value = 0;
        if (digits.Length == 0)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }

            value = (value * 8) + (c - '0');
        }

        return true;
    }

    private static bool LooksNumeric(string text) =>
        text.Length > 0 && (char.IsAsciiDigit(text[0]) || ((text[0] is '-' or '+' or '.') && text.Length > 1 && (char.IsAsciiDigit(text[1]) || text[1] == '.'))) &&
        text.All(c => char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '-' or '+');
}
