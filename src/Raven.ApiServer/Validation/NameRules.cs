using System.Net;
using System.Text.RegularExpressions;

namespace Raven.ApiServer.Validation;

/// <summary>The apimachinery name and value rules, each returning the real server's message or null when valid.</summary>
internal static partial class NameRules
{
    public const string Dns1123LabelRule =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    public const string Dns1123SubdomainRule =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    public const string Dns1035LabelRule =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    private const string QualifiedNameRule =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private const string LabelValueRule =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    private const string ConfigKeyRule =
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

    public static IEnumerable<string> Dns1123Label(string value)
    {
        if (value.Length > 63) yield return "must be no more than 63 characters";
        if (!Label().IsMatch(value)) yield return Dns1123LabelRule;
    }

    public static IEnumerable<string> Dns1123Subdomain(string value)
    {
        if (value.Length > 253) yield return "must be no more than 253 characters";
        if (!Subdomain().IsMatch(value)) yield return Dns1123SubdomainRule;
    }

    public static IEnumerable<string> Dns1035Label(string value)
    {
        if (value.Length > 63) yield return "must be no more than 63 characters";
        if (!Label1035().IsMatch(value)) yield return Dns1035LabelRule;
    }

    /// <summary>Label and annotation keys: an optional DNS subdomain prefix and a name part of at most 63 characters.</summary>
    public static IEnumerable<string> QualifiedName(string value)
    {
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                name = parts[1];
                if (parts[0].Length == 0) yield return "prefix part must be non-empty";
                else foreach (var problem in Dns1123Subdomain(parts[0])) yield return "prefix part " + problem;
                break;
            default:
                yield return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
                yield break;
        }

        if (name.Length == 0) yield return "name part must be non-empty";
        else if (name.Length > 63) yield return "name part must be no more than 63 characters";
        if (name.Length > 0 && !Qualified().IsMatch(name)) yield return QualifiedNameRule;
    }

    public static IEnumerable<string> LabelValue(string value)
    {
        if (value.Length > 63) yield return "must be no more than 63 characters";
        if (!LabelValuePattern().IsMatch(value)) yield return LabelValueRule;
    }

    public static IEnumerable<string> ConfigMapKey(string value)
    {
        if (value.Length > 253) yield return "must be no more than 253 characters";
        if (!ConfigKey().IsMatch(value)) yield return ConfigKeyRule;
        if (value is "." or "..") yield return $"must not be '{value}'";
        else if (value.StartsWith("..", StringComparison.Ordinal)) yield return "must not start with '..'";
    }

    public static string? IpAddress(string value) =>
        IPAddress.TryParse(value, out _) && !value.Contains('%', StringComparison.Ordinal)
            ? null : "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

    public static string? Cidr(string value) =>
        IPNetwork.TryParse(value, out _) || CidrWithHostBits(value)
            ? null : "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

    private static bool CidrWithHostBits(string value) =>
        value.Split('/') is [var ip, var bits] && IPAddress.TryParse(ip, out var address) &&
        int.TryParse(bits, System.Globalization.CultureInfo.InvariantCulture, out var prefix) && prefix >= 0 &&
        prefix <= (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label1035();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex Qualified();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValuePattern();

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigKey();
}
