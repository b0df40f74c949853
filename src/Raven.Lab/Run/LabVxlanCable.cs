using System.Globalization;
using Raven.Agent.Engine;
using Raven.Agent.Linux.Processes;
using Raven.Agent.Tunnel.Vxlan;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Lab.Topology;

namespace Raven.Lab.Run;

/// <summary>
/// What an operator does to run the unencrypted VXLAN cable (<c>--vpn-driver vxlan</c>) across the lab's NATs. VXLAN
/// has no NAT traversal, so every edge gateway node gets a port forward on its domain's router (UDP
/// <see cref="FirstForwardedPort"/>+i → the node's UDP 4474) and publishes it as its tunnel endpoint's
/// publicIP:publicPort; a node of its own, so a failover to the domain's other node moves the traffic with the
/// Gateway's active endpoint without touching the router. The cloud router's 1:1 NAT already forwards every port
/// to the cloud gateway. The edges are NATed and the lab internet is "public", so the cable is refused there unless
/// raven-agent-config says <c>vxlan-allow-untrusted-underlay: "true"</c>: exactly what the flag is for, an operator
/// vouching for an unencrypted path — which the lab prints loudly.
/// </summary>
public static class LabVxlanCable
{
    public const int FirstForwardedPort = 44741;

    public const string Warning =
        "WARNING: --vpn-driver vxlan: traffic between gateways is NOT ENCRYPTED. The lab's edges are behind NAT and talk " +
        "across the lab internet, so raven-agent-config gets vxlan-allow-untrusted-underlay=\"true\" (the operator vouches for " +
        "the path) and each edge router forwards a UDP port per gateway node to its cable (UDP 4474). Never do this on a real untrusted network.";

    /// <summary>The public port forwarded to <paramref name="node"/>'s cable, or null when it needs none (cloud, L7-only domains).</summary>
    public static int? ForwardedPort(LabTopology topology, LabNode node)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var domain = topology.DomainOf(node);
        if (domain.Exposure == DomainExposure.Public || domain.SharesLanWith is not null)
        {
            return null;
        }

        var index = domain.Nodes.ToList().FindIndex(n => n.LabName == node.LabName);
        return FirstForwardedPort + index;
    }

    /// <summary>Per forwarded node: DNAT on its router's WAN, and FORWARD accepts it ahead of the router's drop of unsolicited input.</summary>
    public static IReadOnlyList<CommandLine> RouterCommands(LabTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var commands = new List<CommandLine>();
        foreach (var node in topology.Nodes)
        {
            if (ForwardedPort(topology, node) is not { } port)
            {
                continue;
            }

            var router = topology.Names.Router(topology.DomainOf(node));
            var cable = VxlanCableProfile.Port.ToString(CultureInfo.InvariantCulture);
            commands.Add(new CommandLine("ip", "netns", "exec", router, "iptables", "-w", "-t", "nat", "-A", "PREROUTING", "-i", LabNames.RouterWan, "-p", "udp",
                "--dport", port.ToString(CultureInfo.InvariantCulture), "-j", "DNAT", "--to-destination", $"{node.LanAddress}:{cable}"));
            commands.Add(new CommandLine("ip", "netns", "exec", router, "iptables", "-w", "-I", "FORWARD", "1", "-i", LabNames.RouterWan, "-p", "udp",
                "-d", node.LanAddress.ToString(), "--dport", cable, "-m", "conntrack", "--ctstate", "DNAT", "-j", "ACCEPT"));
        }

        return commands;
    }

    public static async Task ForwardAsync(ICommandRunner runner, LabTopology topology, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        foreach (var command in RouterCommands(topology))
        {
            await runner.RunCheckedAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The Gateways with each forwarded node's tunnel endpoint at its router's WAN address and forwarded port (pure).</summary>
    public static IReadOnlyList<Gateway> Published(LabTopology topology, IReadOnlyList<Gateway> gateways)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(gateways);
        foreach (var endpoint in gateways.SelectMany(g => g.Spec.Endpoints ?? []).Where(e => e.Type == WellKnown.EndpointTypeTunnel))
        {
            var node = topology.Nodes.FirstOrDefault(n => n.NodeName == endpoint.NodeName);
            if (node is not null && ForwardedPort(topology, node) is { } port)
            {
                endpoint.PublicIP = topology.DomainOf(node).Router.WanAddress.ToString();
                endpoint.PublicPort = port;
            }
        }

        return gateways;
    }

    /// <summary>raven-agent-config's key that admits the cable across NAT and public addresses.</summary>
    public static IReadOnlyDictionary<string, string> AgentConfig { get; } =
        new Dictionary<string, string>(StringComparer.Ordinal) { [AgentOptionsParser.VxlanAllowUntrustedUnderlay] = "true" };
}
