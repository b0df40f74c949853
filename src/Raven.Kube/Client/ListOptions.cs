namespace Raven.Kube.Client;

/// <summary>Query options for list and watch calls.</summary>
public sealed record ListOptions
{
    /// <summary>e.g. "raven.openyurt.io/gateway=gw-a,!node-role.kubernetes.io/control-plane"; see <see cref="Selectors"/>.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>e.g. "metadata.name=node-1" or "spec.nodeName=node-1".</summary>
    public string? FieldSelector { get; init; }

    /// <summary>Page size for list; 0 = server default (everything).</summary>
    public int Limit { get; init; }

    /// <summary>Continue token from the previous page's metadata.continue.</summary>
    public string? Continue { get; init; }

    /// <summary>For list: "0" = any cached version; for watch: start after this version.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Watch only: ask for BOOKMARK events so a restart can resume from a recent version.</summary>
    public bool AllowWatchBookmarks { get; init; }

    /// <summary>Server-side timeout for a watch (or list), in seconds; 0 = server default.</summary>
    public int TimeoutSeconds { get; init; }

    /// <summary>The query string (without '?'), each value percent-encoded, in a stable order.</summary>
    public string ToQuery(bool watch)
    {
        var parts = new List<string>();
        Add(parts, "labelSelector", LabelSelector);
        Add(parts, "fieldSelector", FieldSelector);
        if (!watch && Limit > 0)
        {
            parts.Add($"limit={Limit}");
        }

        if (!watch)
        {
            Add(parts, "continue", Continue);
        }

        Add(parts, "resourceVersion", ResourceVersion);
        if (TimeoutSeconds > 0)
        {
            parts.Add($"timeoutSeconds={TimeoutSeconds}");
        }

        if (watch)
        {
            parts.Add("watch=true");
            if (AllowWatchBookmarks)
            {
                parts.Add("allowWatchBookmarks=true");
            }
        }

        return string.Join('&', parts);
    }

    private static void Add(List<string> parts, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            parts.Add(key + "=" + Uri.EscapeDataString(value));
        }
    }
}
