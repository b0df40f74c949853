using System.Net;

namespace Raven.Lab.Topology;

/// <summary>
/// The router between a domain's LAN and the lab internet. It holds the LAN bridge, masquerades the LAN behind its
/// WAN address and, like a real CPE router or cloud VPC gateway, drops unsolicited inbound connections from the WAN.
/// </summary>
/// <param name="LanAddress">The router's address on the LAN bridge; every node's default route points here.</param>
/// <param name="WanAddress">The router's address on the lab internet (TEST-NET).</param>
/// <param name="WanNetwork">The lab internet subnet the WAN address lives on.</param>
/// <param name="WanGateway">The internet core's address on that subnet; the router's only default route.</param>
/// <param name="Exposure">For a public domain: the one-to-one public address mapping, otherwise null.</param>
public sealed record LabRouter(
    IPAddress LanAddress,
    IPAddress WanAddress,
    IPNetwork WanNetwork,
    IPAddress WanGateway,
    PublicAddressMapping? Exposure);

/// <summary>
/// A simulated public IP bound one-to-one to a node, the way a cloud provider's elastic IP works: the node itself
/// only has its private LAN address (the seed's gw-cloud node is 192.168.0.195 with publicIP 120.79.x.x), the
/// internet routes the public address to the cloud router, and the router DNATs it to the node and SNATs the node's
/// outbound traffic back to it. This keeps the node's InternalIP private, as in the manual, while every port of the
/// gateway node is reachable from the internet.
/// </summary>
/// <param name="PublicAddress">The address on the lab internet (TEST-NET).</param>
/// <param name="NodeLabName">The node that owns it.</param>
public sealed record PublicAddressMapping(IPAddress PublicAddress, string NodeLabName);
