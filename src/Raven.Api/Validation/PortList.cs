using System.Globalization;

namespace Raven.Api.Validation;

/// <summary>The comma-separated port lists of proxyConfig.proxyHTTPPort / proxyHTTPSPort.</summary>
public static class PortList
{
    public sealed record Entry(int Index, string Text, int? Port);

    /// <summary>Splits "10255, 9445" into entries; Port is null for an entry that is not a port number.</summary>
    public static IReadOnlyList<Entry> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        return text.Split(',').Select((raw, i) =>
        {
            var trimmed = raw.Trim();
            var ok = trimmed.Length > 0 && trimmed.All(char.IsAsciiDigit) &&
                     int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535;
            return new Entry(i, trimmed, ok ? int.Parse(trimmed, CultureInfo.InvariantCulture) : null);
        }).ToList();
    }

    /// <summary>The valid, distinct ports in written order (what controllers and the proxy act on).</summary>
    public static IReadOnlyList<int> Ports(string? text) =>
        Parse(text).Where(e => e.Port is not null).Select(e => e.Port!.Value).Distinct().ToList();
}
