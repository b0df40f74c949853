using Raven.Agent.Tunnel.IPsec;

namespace Raven.Lab.Run;

/// <summary>
/// What a failover under <c>--vpn-driver ipsec</c> is made of, read from the surviving endpoint's charon (VICI
/// list-sas on its socket): IPsec keeps no security associations on a standby here (a hot standby is WireGuard-only,
/// <c>ITunnelProfile.RoutesStandbyPairs</c>), so the survivor sets its SAs up only when it takes the domain over.
/// The failover checks state this beside their figures; it does not decide them.
/// </summary>
public static class LabIpsecStandby
{
    /// <summary>The survivor's established IKE SAs, and how many of them are younger than <paramref name="since"/>.</summary>
    public static async Task<(int Established, int Newer)> CountAsync(string stateDirectory, TimeSpan? since, CancellationToken cancellationToken)
    {
        var socket = Path.Combine(stateDirectory, IpsecSeam.StateSubdirectory, "charon.vici");
        if (!File.Exists(socket))
        {
            return (0, 0); // no charon: a standby whose plan has no connection may not run one
        }

        try
        {
            var sas = (await new CharonClient(new ViciClient(socket)).ListSasAsync(cancellationToken).ConfigureAwait(false)).Where(s => s.IsEstablished).ToList();
            var newer = since is { } age ? sas.Count(s => s.EstablishedSeconds is { } seconds && seconds <= Math.Ceiling(age.TotalSeconds)) : 0;
            return (sas.Count, newer);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException)
        {
            return (0, 0);
        }
    }

    /// <summary>One clause for the check's detail, e.g. "IPsec cold standby: hz-2's charon had 0 IKE SAs before, 2 set up after the failure".</summary>
    public static string Describe(string survivor, (int Established, int Newer) before, (int Established, int Newer) after) =>
        $"IPsec cold standby: {survivor}'s charon had {before.Established} established IKE SA(s) before the failure and set up {after.Newer} after it " +
        $"({after.Established} now); no hot standby SAs under IPsec";
}
