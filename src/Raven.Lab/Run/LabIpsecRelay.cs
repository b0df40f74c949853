using System.Net;
using Raven.Agent.Tunnel.IPsec;
using Raven.Api.Net;

namespace Raven.Lab.Run;

/// <summary>
/// What the cloud relay's charon carries, for the relayed checks under <c>--vpn-driver ipsec</c>: strongSwan before
/// 5.9.12 with kernel-libipsec cannot install a CHILD SA whose local selector holds no address of the host, so the
/// relay leaves the other edges' subnets out of its connections (Tunnel/IPsec/README.md). Observed from charon
/// itself (VICI list-sas and version on the relay's socket), not from the agent's decision.
/// </summary>
public static class LabIpsecRelay
{
    /// <param name="stateDirectory">The relay agent's --state-dir.</param>
    /// <param name="connection">The relay's connection to the source edge (raven-&lt;gateway&gt;).</param>
    /// <returns>Null when the relay's installed CHILD SA carries <paramref name="target"/>, else why it does not.</returns>
    public static async Task<NotRelayed?> WhyNotCarriedAsync(string stateDirectory, string connection, IPAddress target, CancellationToken cancellationToken)
    {
        var socket = Path.Combine(stateDirectory, IpsecSeam.StateSubdirectory, "charon.vici");
        var charon = new CharonClient(new ViciClient(socket));
        var version = await charon.VersionAsync(cancellationToken).ConfigureAwait(false);
        var sas = await charon.ListSasAsync(cancellationToken).ConfigureAwait(false);
        var selectors = sas.Where(s => s.Connection == connection && s.IsEstablished)
            .SelectMany(s => s.Children).Where(c => c.IsInstalled)
            .SelectMany(c => c.LocalTrafficSelectors).Distinct(StringComparer.Ordinal).ToList();
        if (selectors.Count == 0)
        {
            return new(false, $"the relay's charon has no installed CHILD SA for {connection}");
        }

        if (selectors.Any(ts => Cidr.TryParse(ts, out var cidr, out _) && cidr.Contains(target)))
        {
            return null;
        }

        var limited = LibipsecSelectors.Applies(libipsec: !KernelEspProbe.Probe().Available, version.Parsed);
        return new(limited, $"the relay's CHILD SA {connection} carries only {string.Join(", ", selectors)} (not {target}); strongSwan {version.Version}" +
            (limited ? $" < {LibipsecSelectors.FixedIn} with kernel-libipsec cannot install a local selector without an address of the relay host" : ""));
    }
}

/// <summary>Why the relay does not carry an address; <see cref="KnownLimitation"/>: the strongSwan limitation, not a fault.</summary>
public sealed record NotRelayed(bool KnownLimitation, string Detail);
