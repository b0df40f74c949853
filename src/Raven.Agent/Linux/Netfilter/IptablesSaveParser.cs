namespace Raven.Agent.Linux.Netfilter;

/// <summary>The chains of one table as iptables-save printed them: chain name to rule texts (after "-A CHAIN ").</summary>
public sealed class IptablesTableState
{
    public IptablesTableState(IReadOnlyDictionary<string, IReadOnlyList<string>> chains) => Chains = chains;

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Chains { get; }

    public IReadOnlyList<string> RulesOf(string chain) => Chains.TryGetValue(chain, out var rules) ? rules : [];
}

/// <summary>Parses the output of <c>iptables-save -t TABLE</c>.</summary>
public static class IptablesSaveParser
{
    public static IptablesTableState Parse(string saveOutput, string table)
    {
        ArgumentNullException.ThrowIfNull(saveOutput);
        var chains = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        bool inTable = false;
        foreach (string raw in saveOutput.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith('*'))
            {
                inTable = line[1..] == table;
            }
            else if (!inTable || line.StartsWith('#'))
            {
                continue;
            }
            else if (line.StartsWith(':'))
            {
                int space = line.IndexOf(' ', StringComparison.Ordinal);
                chains.TryAdd(space < 0 ? line[1..] : line[1..space], []);
            }
            else if (line.StartsWith("-A ", StringComparison.Ordinal))
            {
                string rest = line[3..];
                int space = rest.IndexOf(' ', StringComparison.Ordinal);
                string chain = space < 0 ? rest : rest[..space];
                string rule = space < 0 ? "" : rest[(space + 1)..];
                if (!chains.TryGetValue(chain, out var rules))
                {
                    chains[chain] = rules = [];
                }

                rules.Add(rule);
            }
        }

        return new IptablesTableState(chains.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal));
    }
}
