namespace Raven.TestSupport.Network;

/// <summary>Network tests need root; without it they fail loudly instead of passing silently.</summary>
public static class Root
{
    public static void Require()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException(
                "Raven.Network.Tests must run as root: they create network namespaces, links and netfilter rules. " +
                "Run them as root (CI does) or filter them out explicitly.");
        }
    }
}
