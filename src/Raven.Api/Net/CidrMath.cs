namespace Raven.Api.Net;

/// <summary>Set operations on prefixes. Every result is sorted (IPv4 first, then by address) and minimal.</summary>
public static class CidrMath
{
    /// <summary>
    /// The smallest sorted list of prefixes covering exactly the union of <paramref name="cidrs"/>:
    /// duplicates and contained prefixes vanish, overlapping or adjacent ranges join, and each joined range
    /// is cut back into the fewest aligned prefixes.
    /// </summary>
    public static IReadOnlyList<Cidr> Merge(IEnumerable<Cidr> cidrs) => ToCidrs(Ranges(cidrs));

    /// <summary>The union of <paramref name="cidrs"/> minus every address in <paramref name="holes"/>, minimal and sorted.</summary>
    public static IReadOnlyList<Cidr> Exclude(IEnumerable<Cidr> cidrs, IEnumerable<Cidr> holes)
    {
        var pieces = Ranges(cidrs);
        foreach (var hole in Ranges(holes))
        {
            var next = new List<AddressRange>(pieces.Count + 1);
            foreach (var piece in pieces)
            {
                if (piece.IsIPv6 != hole.IsIPv6 || hole.End < piece.Start || hole.Start > piece.End)
                {
                    next.Add(piece);
                    continue;
                }

                if (hole.Start > piece.Start)
                {
                    next.Add(piece with { End = hole.Start - 1 });
                }

                if (hole.End < piece.End)
                {
                    next.Add(piece with { Start = hole.End + 1 });
                }
            }

            pieces = next;
        }

        return ToCidrs(pieces);
    }

    public static IReadOnlyList<Cidr> Sort(IEnumerable<Cidr> cidrs) => [.. cidrs.Distinct().Order()];

    public static bool Overlap(IEnumerable<Cidr> left, IEnumerable<Cidr> right) =>
        left.Any(l => right.Any(r => l.Overlaps(r)));

    private readonly record struct AddressRange(bool IsIPv6, UInt128 Start, UInt128 End);

    /// <summary>Sorted, non-overlapping, non-adjacent ranges covering the union.</summary>
    private static List<AddressRange> Ranges(IEnumerable<Cidr> cidrs)
    {
        ArgumentNullException.ThrowIfNull(cidrs);
        var ranges = new List<AddressRange>();
        foreach (var cidr in cidrs.OrderBy(c => c.IsIPv6).ThenBy(c => c.First).ThenBy(c => c.PrefixLength))
        {
            if (ranges.Count > 0 && ranges[^1] is var open && open.IsIPv6 == cidr.IsIPv6 &&
                (open.End == Cidr.HostMask(cidr.AddressBits) || cidr.First <= open.End + 1))
            {
                ranges[^1] = open with { End = UInt128.Max(open.End, cidr.Last) };
            }
            else
            {
                ranges.Add(new AddressRange(cidr.IsIPv6, cidr.First, cidr.Last));
            }
        }

        return ranges;
    }

    private static List<Cidr> ToCidrs(List<AddressRange> ranges)
    {
        var output = new List<Cidr>();
        foreach (var range in ranges)
        {
            var width = range.IsIPv6 ? 128 : 32;
            var start = range.Start;
            while (true)
            {
                // The block may be as large as start's alignment allows, but must not run past the range's end.
                var hostBits = start == UInt128.Zero ? width : Math.Min(width, (int)UInt128.TrailingZeroCount(start));
                while (hostBits > 0 && Cidr.HostMask(hostBits) > range.End - start)
                {
                    hostBits--;
                }

                output.Add(Cidr.Create(start, width - hostBits, range.IsIPv6));
                var blockLast = start + Cidr.HostMask(hostBits);
                if (blockLast >= range.End)
                {
                    break;
                }

                start = blockLast + 1;
            }
        }

        return output;
    }
}
