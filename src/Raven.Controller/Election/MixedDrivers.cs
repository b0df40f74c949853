using Raven.Api;
using Raven.Api.V1Beta1;

namespace Raven.Controller.Election;

/// <summary>Another gateway whose active tunnel endpoint runs a different VPN driver than this one's.</summary>
public sealed record DriverMismatch(string OtherGateway, string OtherDriver, string Driver)
{
    /// <summary>The condition item: names the other gateway and both drivers.</summary>
    public string Item => $"gateway {OtherGateway} runs {OtherDriver}, this gateway runs {Driver}";
}

/// <summary>
/// Pure: which gateways' active tunnel endpoints publish (config <c>vpn-driver</c>, written by each agent) a driver
/// other than this gateway's. Agents of different drivers cannot talk to each other and skip each other as peers,
/// so the operator learns about it here. A gateway that has not published its driver yet is not compared.
/// </summary>
public static class MixedDrivers
{
    /// <summary>The driver the first active tunnel endpoint publishes; null when none does.</summary>
    public static string? Of(IEnumerable<Endpoint?>? actives) =>
        (actives ?? []).OfType<Endpoint>()
            .Where(e => e.Type == WellKnown.EndpointTypeTunnel)
            .Select(e => e.Config?.GetValueOrDefault(WellKnown.VpnDriverConfigKey))
            .FirstOrDefault(d => !string.IsNullOrEmpty(d));

    /// <summary>One entry per other gateway with a known, different driver, sorted by gateway name.</summary>
    public static IReadOnlyList<DriverMismatch> Find(string gateway, string? driver, IEnumerable<GatewayMembers> others)
    {
        ArgumentNullException.ThrowIfNull(others);
        if (string.IsNullOrEmpty(driver))
        {
            return [];
        }

        return
        [
            .. others.Where(o => o.Gateway != gateway && !string.IsNullOrEmpty(o.VpnDriver) && o.VpnDriver != driver)
                .OrderBy(o => o.Gateway, StringComparer.Ordinal)
                .Select(o => new DriverMismatch(o.Gateway, o.VpnDriver!, driver)),
        ];
    }
}
