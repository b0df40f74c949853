using System.Text;

namespace Raven.ApiServer;

/// <summary>Field paths as Kubernetes prints them (<c>spec.ports[0].port</c>, <c>data[key]</c>).</summary>
internal static class FieldPaths
{
    /// <summary>
    /// System.Text.Json's exception path (<c>$.spec.ports[0].port</c>, <c>$['a.b']</c>) as a Kubernetes field path;
    /// a member name that is not a plain identifier becomes a key (<c>data[a.b]</c>).
    /// </summary>
    public static string FromJsonPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$") return "";
        var path = new StringBuilder();
        var i = jsonPath.StartsWith('$') ? 1 : 0;
        while (i < jsonPath.Length)
        {
            if (jsonPath[i] == '.')
            {
                var end = i + 1;
                while (end < jsonPath.Length && jsonPath[end] is not ('.' or '[')) end++;
                if (path.Length > 0) path.Append('.');
                path.Append(jsonPath, i + 1, end - i - 1);
                i = end;
            }
            else if (jsonPath[i] == '[' && i + 1 < jsonPath.Length && jsonPath[i + 1] == '\'')
            {
                var end = jsonPath.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0) end = jsonPath.Length;
                path.Append('[').Append(jsonPath, i + 2, end - i - 2).Append(']');
                i = Math.Min(jsonPath.Length, end + 2);
            }
            else if (jsonPath[i] == '[')
            {
                var end = jsonPath.IndexOf(']', i);
                if (end < 0) end = jsonPath.Length - 1;
                path.Append(jsonPath, i, end - i + 1);
                i = end + 1;
            }
            else
            {
                path.Append(jsonPath[i]);
                i++;
            }
        }

        return path.ToString();
    }
}
