using System.Globalization;
using System.Text.RegularExpressions;

namespace Raven.ApiServer;

/// <summary>Kubernetes version priority: GA over beta over alpha, higher numbers first (v1 > v1beta2 > v1beta1 > v1alpha1).</summary>
internal static partial class KubeVersionOrder
{
    public static long Priority(string version)
    {
        var match = VersionPattern().Match(version);
        if (!match.Success) return 0;
        var major = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var stage = match.Groups[2].Value switch { "" => 3, "beta" => 2, _ => 1 };
        var minor = match.Groups[3].Success ? long.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
        return (stage * 1_000_000) + (major * 1000) + minor;
    }

    [GeneratedRegex("^v([0-9]+)(?:(alpha|beta)([0-9]+))?$")]
    private static partial Regex VersionPattern();
}
