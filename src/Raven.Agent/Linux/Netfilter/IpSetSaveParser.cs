using System.Net;

namespace Raven.Agent.Linux.Netfilter;

/// <summary>One set as <c>ipset save</c> printed it, with normalised members.</summary>
public sealed record IpSetState(string Name, string Type, IReadOnlySet<string> Members);

/// <summary>Parses <c>ipset save</c> output and normalises members so desired and actual compare equal.</summary>
public static class IpSetSaveParser
{
    public static IReadOnlyDictionary<string, IpSetState> Parse(string saveOutput)
    {
        ArgumentNullException.ThrowIfNull(saveOutput);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var members = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (string raw in saveOutput.Split('\n'))
        {
            string[] words = raw.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 3 && words[0] == "create")
            {
                types[words[1]] = words[2];
                members.TryAdd(words[1], new HashSet<string>(StringComparer.Ordinal));
            }
            else if (words.Length >= 3 && words[0] == "add" && members.TryGetValue(words[1], out var set))
            {
                set.Add(NormalizeMember(words[2]));
            }
        }

        return types.ToDictionary(p => p.Key, p => new IpSetState(p.Key, p.Value, members[p.Key]), StringComparer.Ordinal);
    }

    /// <summary>"10.0.0.7/24" becomes "10.0.0.0/24", "10.0.0.1" becomes "10.0.0.1/32"; non-address parts stay as they are.</summary>
    public static string NormalizeMember(string member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return string.Join(',', member.Split(',').Select(NormalizePart));
    }

    private static string NormalizePart(string part)
    {
        int slash = part.IndexOf('/', StringComparison.Ordinal);
        string addressText = slash < 0 ? part : part[..slash];
        if (!IPAddress.TryParse(addressText, out var address))
        {
            return part;
        }

        int maxLength = address.GetAddressBytes().Length * 8;
        int length = maxLength;
        if (slash >= 0 && (!int.TryParse(part[(slash + 1)..], out length) || length < 0 || length > maxLength))
        {
            throw new FormatException($"invalid prefix length in ipset member '{part}'");
        }

        byte[] bytes = address.GetAddressBytes();
        for (int bit = length; bit < maxLength; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return $"{new IPAddress(bytes)}/{length}";
    }
}
