using System.Globalization;
using System.Text;
using Raven.Agent.Planning;

namespace Raven.Agent.Linux.Netfilter;

/// <summary>
/// Pure: one planner <see cref="FirewallRule"/> as iptables-save text (the part after "-A CHAIN "), in the order
/// iptables-save prints it, so an applied rule compares equal to its rendering.
/// </summary>
public static class FirewallRuleText
{
    /// <param name="expandedSets">
    /// hash:net,net sets the kernel cannot hold: a rule matching one by (source, destination) becomes one rule per
    /// entry with -s/-d, in entry order.
    /// </param>
    public static IReadOnlyList<string> Render(FirewallRule rule, IReadOnlyDictionary<string, IpSetPlan> expandedSets)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(expandedSets);
        if (rule.Match.Set is { } set && expandedSets.TryGetValue(set.SetName, out var pairs))
        {
            if (set.Direction != SetMatchDirection.SourceDestination)
            {
                throw new ArgumentException($"ipset {set.SetName} can only be expanded for a source,destination match", nameof(rule));
            }

            return pairs.Entries
                .Select(e => Compose(rule with { Match = rule.Match with { Set = null } }, $"-s {e.First} -d {e.Second ?? throw new ArgumentException($"ipset {set.SetName}: entry {e.First} has no destination", nameof(expandedSets))}"))
                .ToList();
        }

        return [Compose(rule, null)];
    }

    /// <summary>The match of a built-in chain's jump: optional -o, then the comment.</summary>
    public static string HookMatch(ChainHook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        var text = new StringBuilder();
        if (hook.OutInterface is { } device)
        {
            text.Append("-o ").Append(device).Append(' ');
        }

        return text.Append(Comment(hook.Comment)).ToString();
    }

    private static string Compose(FirewallRule rule, string? addresses)
    {
        var words = new List<string>();
        if (addresses is not null)
        {
            words.Add(addresses);
        }

        var match = rule.Match;
        if (match.InInterface is { } input)
        {
            words.Add($"-i {input}");
        }

        if (match.OutInterface is { } output)
        {
            words.Add($"-o {output}");
        }

        if (match.TcpSynOnly)
        {
            words.Add("-p tcp -m tcp --tcp-flags SYN,RST SYN");
        }

        if (match.Set is { } set)
        {
            words.Add($"-m set --match-set {set.SetName} {Direction(set.Direction)}");
        }

        if (!string.IsNullOrEmpty(rule.Comment))
        {
            words.Add(Comment(rule.Comment));
        }

        words.Add(Action(rule.Action));
        return string.Join(' ', words);
    }

    private static string Comment(string comment)
    {
        if (comment.Contains('"', StringComparison.Ordinal) || comment.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"rule comment '{comment}' must not contain quotes or backslashes", nameof(comment));
        }

        return $"-m comment --comment \"{comment}\"";
    }

    private static string Direction(SetMatchDirection direction) => direction switch
    {
        SetMatchDirection.Source => "src",
        SetMatchDirection.Destination => "dst",
        SetMatchDirection.SourceDestination => "src,dst",
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "unknown set direction"),
    };

    private static string Action(RuleAction action) => action switch
    {
        SetMarkAction mark => string.Create(CultureInfo.InvariantCulture, $"-j MARK --set-xmark 0x{mark.Mark:x}/0x{mark.Mask:x}"),
        AcceptAction => "-j ACCEPT",
        ClampMssAction mss => string.Create(CultureInfo.InvariantCulture, $"-j TCPMSS --set-mss {mss.Mss}"),
        _ => throw new ArgumentException($"unsupported rule action {action}", nameof(action)),
    };
}
