using System.Net;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// strongSwan before 5.9.12 with kernel-libipsec fails the whole CHILD_SA ("error installing route with policy …",
/// "unable to install IPsec policies (SPD) in kernel") when a local traffic selector holds no address of this host:
/// it insists on a route source address (fixed upstream by 190d8cbe, strongswan#1766). Debian 12 ships 5.9.8. So
/// there, local subnets without a host address are left out of the connection — the gateway's own subnets keep
/// working — and reported, instead of losing the connection altogether.
/// </summary>
public static class LibipsecSelectors
{
    /// <summary>The first strongSwan release that installs such routes without a source address.</summary>
    public static readonly Version FixedIn = new(5, 9, 12);

    public static bool Applies(bool libipsec, Version charonVersion) =>
        libipsec && (charonVersion ?? throw new ArgumentNullException(nameof(charonVersion))) < FixedIn;

    /// <summary>Splits the local subnets into those holding one of <paramref name="hostAddresses"/> and the rest.</summary>
    public static (IReadOnlyList<IPNetwork> Usable, IReadOnlyList<IPNetwork> Dropped) Split(
        IReadOnlyList<IPNetwork> localSubnets,
        IReadOnlyCollection<IPAddress> hostAddresses)
    {
        ArgumentNullException.ThrowIfNull(localSubnets);
        ArgumentNullException.ThrowIfNull(hostAddresses);
        var usable = new List<IPNetwork>();
        var dropped = new List<IPNetwork>();
        foreach (var subnet in localSubnets)
        {
            (hostAddresses.Any(subnet.Contains) ? usable : dropped).Add(subnet);
        }

        return (usable, dropped);
    }
}
