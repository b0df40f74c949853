using System.Text;

namespace Raven.Agent.Linux.Netfilter;

/// <summary>
/// Pure: turns desired netfilter state plus what the kernel reports into restore scripts that change only what
/// differs. A null script means nothing to do.
/// </summary>
public static class NetfilterRenderer
{
    private static readonly HashSet<string> BuiltInChains = new(StringComparer.Ordinal)
    {
        "PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING",
    };

    /// <summary>ipset script run before iptables: creates sets and adds/removes members. Returns null when nothing differs.</summary>
    public static string? RenderIpSetUpdate(NetfilterState desired, IReadOnlyDictionary<string, IpSetState> current)
    {
        Validate(desired);
        ArgumentNullException.ThrowIfNull(current);
        var script = new StringBuilder();
        foreach (var set in desired.Sets)
        {
            var wanted = set.Members.Select(m => NormalizeMember(set, m)).ToHashSet(StringComparer.Ordinal);
            current.TryGetValue(set.Name, out var actual);
            if (actual is not null && actual.Type != set.Type)
            {
                // A set's type cannot change in place; destroy fails loudly if a rule still references it.
                script.Append("destroy ").AppendLine(set.Name);
                actual = null;
            }

            if (actual is null)
            {
                script.Append("create ").Append(set.Name).Append(' ').Append(set.Type).AppendLine(" family inet");
            }

            var present = actual?.Members ?? new HashSet<string>();
            foreach (string member in present.Where(m => !wanted.Contains(m)).Order(StringComparer.Ordinal))
            {
                script.Append("del ").Append(set.Name).Append(' ').Append(member).AppendLine(" -exist");
            }

            foreach (string member in wanted.Where(m => !present.Contains(m)).Order(StringComparer.Ordinal))
            {
                script.Append("add ").Append(set.Name).Append(' ').Append(member).AppendLine(" -exist");
            }
        }

        return script.Length == 0 ? null : script.ToString();
    }

    /// <summary>ipset script run after iptables: destroys owned sets that are no longer desired.</summary>
    public static string? RenderIpSetCleanup(NetfilterState desired, IReadOnlyDictionary<string, IpSetState> current)
    {
        Validate(desired);
        ArgumentNullException.ThrowIfNull(current);
        var wanted = desired.Sets.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var script = new StringBuilder();
        foreach (string name in desired.OwnedSets.Where(n => !wanted.Contains(n) && current.ContainsKey(n)).Order(StringComparer.Ordinal))
        {
            script.Append("destroy ").AppendLine(name);
        }

        return script.Length == 0 ? null : script.ToString();
    }

    /// <summary>Tables the desired state touches (owned chains or jumps live there).</summary>
    public static IReadOnlyList<string> Tables(NetfilterState desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        return desired.OwnedChains.Select(c => c.Table).Concat(desired.Chains.Select(c => c.Table)).Concat(desired.Jumps.Select(j => j.Table))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>iptables-restore --noflush input for one table, or null when the table already matches.</summary>
    public static string? RenderTable(NetfilterState desired, string table, IptablesTableState current)
    {
        Validate(desired);
        ArgumentNullException.ThrowIfNull(current);
        var declarations = new StringBuilder();
        var commands = new StringBuilder();
        var wantedChains = desired.Chains.Where(c => c.Table == table).ToList();
        var wantedJumps = desired.Jumps.Where(j => j.Table == table).ToList();
        var wantedNames = wantedChains.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var staleChains = desired.OwnedChains.Where(c => c.Table == table && !wantedNames.Contains(c.Chain) && current.Chains.ContainsKey(c.Chain))
            .Select(c => c.Chain).ToList();

        foreach (var chain in wantedChains)
        {
            bool exists = current.Chains.TryGetValue(chain.Name, out var rules);
            if (exists && rules!.Count == chain.Rules.Count && rules.Zip(chain.Rules).All(p => RestoreTokens.SameRule(p.First, p.Second)))
            {
                continue;
            }

            // With --noflush, declaring a chain creates it or empties it; other chains stay as they are.
            declarations.Append(':').Append(chain.Name).AppendLine(" - [0:0]");
            foreach (string rule in chain.Rules)
            {
                commands.Append("-A ").Append(chain.Name).Append(' ').AppendLine(rule.Trim());
            }
        }

        foreach (var group in wantedJumps.GroupBy(j => j.FromChain, StringComparer.Ordinal))
        {
            RenderJumps(group.Key, group.ToList(), current, commands);
        }

        // Jumps into a wanted chain from built-in chains that should not jump there (e.g. left by an older version).
        foreach (string target in wantedNames)
        {
            DeleteJumpsInto(target, current, commands, chain => wantedJumps.Any(j => j.FromChain == chain && j.ToChain == target));
        }

        foreach (string stale in staleChains)
        {
            DeleteJumpsInto(stale, current, commands, _ => false);
            commands.Append("-F ").AppendLine(stale);
            commands.Append("-X ").AppendLine(stale);
        }

        if (declarations.Length == 0 && commands.Length == 0)
        {
            return null;
        }

        return $"*{table}\n{declarations}{commands}COMMIT\n";
    }

    private static void DeleteJumpsInto(string target, IptablesTableState current, StringBuilder commands, Func<string, bool> keepFrom)
    {
        foreach (var (chain, rules) in current.Chains.Where(c => BuiltInChains.Contains(c.Key) && !keepFrom(c.Key)).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            foreach (string rule in rules.Where(r => RestoreTokens.JumpsTo(r, target)))
            {
                commands.Append("-D ").Append(chain).Append(' ').AppendLine(rule);
            }
        }
    }

    private static void RenderJumps(string fromChain, List<IptablesJumpSpec> jumps, IptablesTableState current, StringBuilder commands)
    {
        var existing = current.RulesOf(fromChain);
        foreach (var jump in jumps)
        {
            var toTarget = existing.Where(r => RestoreTokens.JumpsTo(r, jump.ToChain)).ToList();
            bool placed = !jump.MustBeFirst || (existing.Count > 0 && RestoreTokens.JumpsTo(existing[0], jump.ToChain));
            if (toTarget.Count == 1 && RestoreTokens.SameRule(toTarget[0], jump.RuleText) && placed)
            {
                continue;
            }

            foreach (string rule in toTarget)
            {
                commands.Append("-D ").Append(fromChain).Append(' ').AppendLine(rule);
            }

            commands.Append("-I ").Append(fromChain).Append(" 1 ").AppendLine(jump.RuleText);
        }
    }

    private static string NormalizeMember(IpSetSpec set, string member)
    {
        try
        {
            return IpSetSaveParser.NormalizeMember(member);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"ipset {set.Name}: invalid member '{member}': {ex.Message}", nameof(set), ex);
        }
    }

    private static void Validate(NetfilterState desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var ownedSets = desired.OwnedSets.ToHashSet(StringComparer.Ordinal);
        foreach (var set in desired.Sets.Where(s => !ownedSets.Contains(s.Name)))
        {
            throw new ArgumentException($"ipset '{set.Name}' is not an owned set; refusing to manage it", nameof(desired));
        }

        var ownedChains = desired.OwnedChains.ToHashSet();
        foreach (var owned in ownedChains.Where(c => BuiltInChains.Contains(c.Chain)))
        {
            throw new ArgumentException($"chain {owned.Table}/{owned.Chain} is built in and cannot be owned", nameof(desired));
        }

        foreach (var chain in desired.Chains.Where(c => !ownedChains.Contains((c.Table, c.Name))))
        {
            throw new ArgumentException($"chain {chain.Table}/{chain.Name} is not an owned chain; refusing to flush it", nameof(desired));
        }

        var wantedChains = desired.Chains.Select(c => (c.Table, c.Name)).ToHashSet();
        foreach (var jump in desired.Jumps.Where(j => !wantedChains.Contains((j.Table, j.ToChain))))
        {
            throw new ArgumentException($"jump {jump.Table}/{jump.FromChain} -> {jump.ToChain} targets a chain that is not in the desired chains", nameof(desired));
        }

        foreach (var jump in desired.Jumps.Where(j => !BuiltInChains.Contains(j.FromChain)))
        {
            throw new ArgumentException($"jump source {jump.Table}/{jump.FromChain} is not a built-in chain", nameof(desired));
        }
    }
}
