using Raven.Api.Net;

namespace Raven.Api.Validation;

/// <summary>Yes/no questions about address and CIDR text, answered by <see cref="Cidr"/>'s strict parser.</summary>
public static class IpText
{
    public static bool IsIp(string text) => text.Trim() == text && Cidr.TryParseAddress(text, out _);

    public static bool IsCidr(string text) => text.Trim() == text && Cidr.TryParse(text, out _, out _);

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
