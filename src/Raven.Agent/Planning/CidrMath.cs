namespace Raven.Agent.Planning;

/// <summary>Set operations on prefixes. Every result is sorted (IPv4 first, then by address) and minimal.</summary>
public static class CidrMath
{
    /// <summary>
    /// The smallest sorted list of prefixes covering exactly the union of <paramref name="cidrs"/>:
    /// duplicates and contained prefixes vanish, overlapping or adjacent ranges join, and each joined range
    /// is cut back into the fewest aligned prefixes.
    /// </summary>
    public static IReadOnlyList<Cidr> Merge(IEnumerable<Cidr> cidrs)
    {
        ArgumentNullException.ThrowIfNull(cidrs);
        var result = new List<Cidr>();
        foreach (var family in cidrs.GroupBy(c => c.IsIPv6).OrderBy(g => g.Key))
        {
            var width = family.Key ? 128 : 32;
            var familyMax = Cidr.HostMask(width);
            (UInt128 Start, UInt128 End)? open = null;
            foreach (var cidr in family.OrderBy(c => c.First).ThenBy(c => c.PrefixLength))
            {
                if (open is { } current && (current.End == familyMax || cidr.First <= current.End + 1))
                {
                    open = (current.Start, UInt128.Max(current.End, cidr.Last));
                    continue;
                }

                if (open is { } finished)
                {
                    AppendRange(finished.Start, finished.End, width, family.Key, result);
                }

                open = (cidr.First, cidr.Last);
            }

            if (open is { } last)
            {
                AppendRange(last.Start, last.End, width, family.Key, result);
            }
        }

        return result;
    }

    public static IReadOnlyList<Cidr> Sort(IEnumerable<Cidr> cidrs) => [.. cidrs.Distinct().Order()];

    public static bool AnyContains(IEnumerable<Cidr> cidrs, Cidr candidate) => cidrs.Any(c => c.Contains(candidate));

    private static void AppendRange(UInt128 start, UInt128 end, int width, bool isIPv6, List<Cidr> output)
    {
        while (true)
        {
            // The block may be as large as start's alignment allows, but must not run past end.
            var hostBits = start == UInt128.Zero ? width : Math.Min(width, (int)UInt128.TrailingZeroCount(start));
            while (hostBits > 0 && Cidr.HostMask(hostBits) > end - start)
            {
                hostBits--;
            }

            output.Add(Cidr.Create(start, width - hostBits, isIPv6));
            var blockLast = start + Cidr.HostMask(hostBits);
            if (blockLast >= end)
            {
                return;
            }

            start = blockLast + 1;
        }
    }
}
