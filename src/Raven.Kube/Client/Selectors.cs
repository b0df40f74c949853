using Raven.Api.Meta;

namespace Raven.Kube.Client;

/// <summary>Builds label-selector strings in the Kubernetes text syntax.</summary>
public static class Selectors
{
    /// <summary>"k1=v1,k2=v2", keys sorted so the string is stable.</summary>
    public static string FromLabels(IReadOnlyDictionary<string, string> labels) =>
        string.Join(',', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    /// <summary>metav1.LabelSelector to text: matchLabels then matchExpressions (In, NotIn, Exists, DoesNotExist).</summary>
    public static string Format(LabelSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var terms = new List<string>();
        if (selector.MatchLabels is { Count: > 0 } labels)
        {
            terms.Add(FromLabels(labels));
        }

        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            terms.Add(FormatRequirement(requirement));
        }

        return string.Join(',', terms);
    }

    private static string FormatRequirement(LabelSelectorRequirement requirement)
    {
        var values = string.Join(',', (requirement.Values ?? []).Order(StringComparer.Ordinal));
        return requirement.Operator switch
        {
            "In" => $"{requirement.Key} in ({values})",
            "NotIn" => $"{requirement.Key} notin ({values})",
            "Exists" => requirement.Key,
            "DoesNotExist" => "!" + requirement.Key,
            _ => throw new ArgumentException(
                $"matchExpressions: operator '{requirement.Operator}' for key '{requirement.Key}' is not In, NotIn, Exists or DoesNotExist",
                nameof(requirement)),
        };
    }
}
