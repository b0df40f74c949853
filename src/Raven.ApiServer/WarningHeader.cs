using System.Text;

namespace Raven.ApiServer;

/// <summary>
/// The Warning header the API server sends for admission warnings: <c>299 - "text"</c>, text quoted with backslash escapes.
/// Header values must stay printable ASCII here, so control characters become spaces and other characters '?'.
/// </summary>
internal static class WarningHeader
{
    public static string Format(string text)
    {
        var quoted = new StringBuilder("299 - \"", text.Length + 10);
        foreach (var c in text)
        {
            if (c is '"' or '\\') quoted.Append('\\').Append(c);
            else if (char.IsControl(c)) quoted.Append(' ');
            else quoted.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return quoted.Append('"').ToString();
    }
}
