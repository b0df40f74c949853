using System.Text.RegularExpressions;

namespace Raven.Lab.Topology;

/// <summary>
/// Namespace and interface names of the lab. Namespaces carry the lab's prefix so <c>down</c> can find (and may
/// only touch) its own; interfaces live inside those namespaces, so they need no prefix and use fixed short names.
/// </summary>
public sealed partial class LabNames
{
    /// <summary>The prefix of <c>raven lab</c>.</summary>
    public const string DefaultPrefix = "rvl-";

    /// <summary>Linux IFNAMSIZ minus the terminating NUL.</summary>
    public const int MaxInterfaceNameLength = 15;

    /// <summary>Generous bound on a namespace name; they are file names under /run/netns, not interface names.</summary>
    public const int MaxNamespaceNameLength = 31;

    public const string InternetBridge = "br-inet";
    public const string RouterWan = "wan0";
    public const string RouterLanBridge = "br-lan";
    public const string NodeLan = "eth0";
    public const string NodePodBridge = "cni0";
    public const string NodePodVeth = "veth-pod";
    public const string PodInterface = "eth0";

    public LabNames(string prefix)
    {
        var problem = CheckPrefix(prefix);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(prefix));
        }

        Prefix = prefix;
    }

    public string Prefix { get; }

    public string Internet => Prefix + "inet";

    public string Router(LabDomain domain) => Prefix + "r-" + domain.Key;

    public string Node(LabNode node) => Prefix + node.LabName;

    public string Pod(LabNode node) => Prefix + "p-" + node.LabName;

    /// <summary>The internet-side end of a router's WAN veth, in the internet namespace.</summary>
    public static string InternetPort(LabDomain domain) => "to-" + domain.Key;

    /// <summary>The router-side end of a node's LAN veth, in the router namespace.</summary>
    public static string RouterPort(LabNode node) => "to-" + node.LabName;

    /// <summary>
    /// Only <c>rvl-</c> (the lab) and <c>rvt-</c> (tests) prefixes, optionally extended (<c>rvt-lab-</c>): teardown
    /// deletes every namespace starting with the prefix, so a short or foreign prefix must be impossible.
    /// </summary>
    public static string? CheckPrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix) || !PrefixPattern().IsMatch(prefix))
        {
            return $"lab prefix '{prefix}' must look like 'rvl-' or 'rvt-<area>-' (lowercase letters, digits, ending in '-')";
        }

        return null;
    }

    [GeneratedRegex("^rv[lt]-([a-z0-9]+-)*$")]
    private static partial Regex PrefixPattern();
}
