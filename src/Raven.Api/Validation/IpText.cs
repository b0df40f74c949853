using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Raven.Api.Validation;

/// <summary>Address and CIDR text as Go's net package accepts it (host bits in a CIDR are allowed).</summary>
public static class IpText
{
    public static bool IsIp(string text) => TryParseIp(text, out _);

    public static bool TryParseIp(string text, out IPAddress address)
    {
        address = IPAddress.None;
        // IPAddress.TryParse also takes "1", "1.2" or "0x1": Go does not, and neither do we.
        var looksV4 = text.Count(c => c == '.') == 3 && text.All(c => char.IsAsciiDigit(c) || c == '.');
        var looksV6 = text.Contains(':', StringComparison.Ordinal) && !text.Contains('%', StringComparison.Ordinal);
        if ((!looksV4 && !looksV6) || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        if (looksV4 && text.Split('.').Any(octet => octet.Length == 0 || octet.Length > 3 || (octet.Length > 1 && octet[0] == '0')))
        {
            return false;
        }

        address = parsed;
        return true;
    }

    public static bool TryParseCidr(string text, out IPAddress address, out int prefixLength)
    {
        prefixLength = 0;
        address = IPAddress.None;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !TryParseIp(text[..slash], out address))
        {
            return false;
        }

        var bits = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        var prefix = text[(slash + 1)..];
        return prefix.Length is > 0 and <= 3 && prefix.All(char.IsAsciiDigit) &&
               int.TryParse(prefix, NumberStyles.None, CultureInfo.InvariantCulture, out prefixLength) && prefixLength <= bits;
    }

    public static bool IsCidr(string text) => TryParseCidr(text, out _, out _);

    /// <summary>
    /// Documentation often redacts addresses as "120.79.xxx.xxx". Such a value is not an address, but
    /// rejecting a manifest copied from the manual helps nobody: we warn and the agent ignores it.
    /// </summary>
    public static bool IsRedactedIpv4(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 &&
               parts.All(p => p.Length is > 0 and <= 3 && (p.All(char.IsAsciiDigit) || p.All(c => c is 'x' or 'X' or '*'))) &&
               parts.Any(p => !p.All(char.IsAsciiDigit));
    }
}
