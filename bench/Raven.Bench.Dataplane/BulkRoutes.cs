using System.Diagnostics;
using Raven.Agent.Engine;
using Raven.Agent.Tunnel.WireGuard;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.TestSupport.Network;

namespace Raven.Bench.Dataplane;

/// <summary>
/// One gateway node in its own namespace (WAN 203.0.113.50, a dead-end neighbour namespace behind it) and
/// <c>gateways × nodesPerGateway</c> remote, non-adjacent /24 subnets (table 9028 routes via the WireGuard device); times one ApplyOnceAsync from an empty namespace and a second one.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class BulkRoutes
{
    public sealed record Result(int Subnets, int Peers, TimeSpan FirstApply, TimeSpan EngineReported, int RoutesProgrammed, int RoutesInTable, TimeSpan SecondApply, bool SecondChanged, int Errors);

    public static async Task<Result> MeasureAsync(int gateways, int nodesPerGateway)
    {
        using var node = TestNamespace.Create(BenchArea.Name);
        using var pod = TestNamespace.Create(BenchArea.Name);
        using var neighbour = TestNamespace.Create(BenchArea.Name);
        var state = Directory.CreateTempSubdirectory("rvb-bulk-").FullName;
        var lab = new LabNode("bulk-gw", "local", node, pod, "203.0.113.50", "10.99.0.0/24", "10.99.0.2", "rvbbulk", state);
        try
        {
            TestNamespace.CreateVethPair(neighbour, "wb", node, "wan");
            neighbour.Ip("addr", "add", "203.0.113.1/24", "dev", "wb");
            neighbour.Ip("link", "set", "wb", "up");
            node.Ip("addr", "add", "203.0.113.50/24", "dev", "wan");
            node.Ip("link", "set", "wan", "up");
            node.Ip("route", "add", "default", "via", "203.0.113.1");
            TestNamespace.CreateVethPair(node, "pod0", pod, "eth0");
            node.Ip("addr", "add", "10.99.0.1/24", "dev", "pod0");
            node.Ip("link", "set", "pod0", "up");

            var inputs = new InMemoryAgentInputs();
            inputs.SetGateways([Local(), .. Enumerable.Range(0, gateways).Select(g => Remote(g, nodesPerGateway))]);
            await lab.StartAsync(inputs, run: false);
            var clock = Stopwatch.StartNew();
            var first = await lab.Engine!.ApplyOnceAsync(CancellationToken.None);
            var firstElapsed = clock.Elapsed;
            foreach (var error in first.Errors)
            {
                Console.Error.WriteLine($"bulk apply error: {error}");
            }

            var table = node.TryExec("ip", "route", "show", "table", "9028");
            int inTable = table.ExitCode == 0 ? table.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length : 0;
            clock.Restart();
            var second = await lab.Engine.ApplyOnceAsync(CancellationToken.None);
            var secondElapsed = clock.Elapsed;
            return new Result(gateways * nodesPerGateway, first.Plan.Tunnel?.Peers.Count ?? 0, firstElapsed, first.Duration,
                first.RoutesProgrammed, inTable, secondElapsed, second.Changed, first.Errors.Count + second.Errors.Count);
        }
        finally
        {
            await lab.StopAsync();
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>Every other /24, so the planner cannot merge neighbours into a shorter prefix: one route per subnet.</summary>
    private static string Spread(int k) => $"10.{100 + k / 128}.{k % 128 * 2}.0/24";

    private static Gateway Local() => Domain("local", "bulk-gw", "203.0.113.50", null, [new NodeInfo { NodeName = "bulk-gw", PrivateIP = "203.0.113.50", Subnets = ["10.99.0.0/24"] }]);

    private static Gateway Remote(int index, int nodes)
    {
        string publicKey = WireGuardKey.GeneratePrivateKey().PublicKey().ToBase64();
        var members = Enumerable.Range(0, nodes).Select(n => new NodeInfo
        {
            NodeName = $"r{index}-n{n}",
            PrivateIP = $"172.20.{index}.{n + 10}",
            Subnets = [Spread(index * nodes + n)],
        }).ToList();
        return Domain($"remote-{index}", members[0].NodeName, $"198.51.100.{index + 2}", publicKey, members);
    }

    private static Gateway Domain(string name, string gatewayNode, string publicIp, string? publicKey, List<NodeInfo> nodes)
    {
        var endpoint = new Endpoint
        {
            NodeName = gatewayNode,
            Type = WellKnown.EndpointTypeTunnel,
            Port = WellKnown.TunnelServerExposedPort,
            PublicIP = publicIp,
            UnderNAT = false,
            Config = publicKey is null ? null : new() { ["publicKey"] = publicKey },
        };
        var active = endpoint.Clone();
        active.Config ??= [];
        active.Config[WellKnown.EnableL3TunnelKey] = "true";
        return new Gateway
        {
            Metadata = new() { Name = name },
            Spec = new() { ExposeType = WellKnown.ExposeTypePublicIP, Endpoints = [endpoint] },
            Status = new() { Nodes = nodes, ActiveEndpoints = [active] },
        };
    }
}
