using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Paths;
using Raven.Agent.Planning;
using Raven.Agent.Tunnel;
using Raven.Api.Net;

namespace Raven.Agent.Tests.Engine;

/// <summary>
/// The lab's shape seen from hz-2, hangzhou's serving endpoint: qingdao direct (serving qd-2, standby qd-3), shanghai
/// relayed through qingdao.
/// </summary>
internal static class ConnectionReportFixtures
{
    public static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-03T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    public static TunnelPeer Peer(string gateway, string node, bool standby = false) =>
        new(gateway, node, null, ValueList<Cidr>.Empty, ValueList<Cidr>.Empty, null, RelayRole.Direct, ValueList<string>.Empty, EndpointConfig.Empty)
        {
            Standby = standby,
        };

    public static NetworkPlan ServingPlan(PlanRole role = PlanRole.TunnelGateway) =>
        NetworkPlan.Empty(role, "hz-2", "gw-hangzhou", []) with
        {
            Tunnel = new TunnelPlan("wireguard", "raven-wg0", 4500, 1420, ValueList<Cidr>.Empty,
                new[] { Peer("gw-qingdao", "qd-2"), Peer("gw-qingdao", "qd-3", standby: true) }.ToValueList()),
            Paths = new[]
            {
                new DomainPath("gw-qingdao", PathKind.Direct, "gw-qingdao", ValueList<Cidr>.Empty),
                new DomainPath("gw-shanghai", PathKind.Relay, "gw-qingdao", ValueList<Cidr>.Empty),
            }.ToValueList(),
        };

    public static IReadOnlyList<DomainPaths> Paths(double rtt = 1.234) =>
    [
        new DomainPaths("gw-qingdao", PathReading.Direct, null, [new PathReading(PathReading.Direct, HealthState.Up, rtt, 0.0, rtt)]),
        new DomainPaths("gw-shanghai", PathReading.Relay("gw-qingdao"), null, [new PathReading(PathReading.Relay("gw-qingdao"), HealthState.Up, 2 * rtt, 0.01, 2 * rtt + 5)]),
    ];

    public static TunnelConnection Connection(string node, TunnelConnectionState state = TunnelConnectionState.Up, long rx = 100, long tx = 200) =>
        new("gw-qingdao", "key-" + node, state, Now.AddSeconds(-20), rx, tx) { Node = node, Endpoint = "198.51.100.2:4500" };
}
