namespace Raven.Api.Manifests;

/// <summary>Kubernetes-style field paths: spec.endpoints[1].publicIP, metadata.annotations[a/b].</summary>
public static class FieldPath
{
    public static string Child(string parent, string key)
    {
        var simple = key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
        if (!simple)
        {
            return $"{parent}[{key}]";
        }

        return parent.Length == 0 ? key : $"{parent}.{key}";
    }

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    public static string Parent(string path)
    {
        if (path.EndsWith(']'))
        {
            var open = path.LastIndexOf('[');
            return open <= 0 ? "" : path[..open];
        }

        var dot = path.LastIndexOf('.');
        return dot < 0 ? "" : path[..dot];
    }
}
