using System.Text;

namespace Raven.Agent.Linux.Netfilter;

/// <summary>Splits an iptables rule into words the way iptables-restore does (double quotes group, backslash escapes).</summary>
internal static class RestoreTokens
{
    public static IReadOnlyList<string> Split(string rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var tokens = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        bool inToken = false;
        for (int i = 0; i < rule.Length; i++)
        {
            char c = rule[i];
            if (quoted && c == '\\' && i + 1 < rule.Length)
            {
                current.Append(rule[++i]);
            }
            else if (c == '"')
            {
                quoted = !quoted;
                inToken = true;
            }
            else if (!quoted && char.IsWhiteSpace(c))
            {
                if (inToken)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                    inToken = false;
                }
            }
            else
            {
                current.Append(c);
                inToken = true;
            }
        }

        if (quoted)
        {
            throw new FormatException($"unbalanced quote in iptables rule: {rule}");
        }

        if (inToken)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    public static bool SameRule(string a, string b) => Split(a).SequenceEqual(Split(b), StringComparer.Ordinal);

    /// <summary>True when the rule's target ("-j X" or "-g X") is <paramref name="chain"/>.</summary>
    public static bool JumpsTo(string rule, string chain)
    {
        var tokens = Split(rule);
        for (int i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i] is "-j" or "-g" or "--jump" or "--goto" && tokens[i + 1] == chain)
            {
                return true;
            }
        }

        return false;
    }
}
