using System.Globalization;
using System.Net;

namespace Raven.Agent.Proxy.Tunnel;

/// <summary>
/// The one control message: the server asks the client to dial <see cref="Target"/> and to open connect stream
/// <see cref="Id"/>. On the wire it is one UTF-8 line: <c>dial &lt;id&gt; &lt;host:port&gt;\n</c>.
/// </summary>
public sealed record DialCommand(long Id, DnsEndPoint Target)
{
    private const string Verb = "dial";

    public string ToLine() => string.Create(CultureInfo.InvariantCulture, $"{Verb} {Id} {FormatTarget(Target)}\n");

    public static string FormatTarget(DnsEndPoint target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var host = target.Host.Contains(':', StringComparison.Ordinal) ? $"[{target.Host}]" : target.Host;
        return string.Create(CultureInfo.InvariantCulture, $"{host}:{target.Port}");
    }

    /// <summary>Parses one line (without the newline). Returns null with a reason for anything malformed.</summary>
    public static DialCommand? TryParse(string line, out string? error)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || parts[0] != Verb)
        {
            error = $"control line \"{line}\" is not \"{Verb} <id> <host:port>\"";
            return null;
        }

        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            error = $"dial id \"{parts[1]}\" is not a positive integer";
            return null;
        }

        var target = TryParseTarget(parts[2], out error);
        return target is null ? null : new DialCommand(id, target);
    }

    public static DnsEndPoint? TryParseTarget(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            error = $"target \"{text}\" is not host:port with a port in 1-65535";
            return null;
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (host.Length == 0 || host.Contains(' ', StringComparison.Ordinal))
        {
            error = $"target \"{text}\" has an empty or invalid host";
            return null;
        }

        error = null;
        return new DnsEndPoint(host, port);
    }
}
