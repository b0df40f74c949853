using System.Net;

namespace Raven.Lab.Topology;

/// <summary>
/// One Kubernetes node: a network namespace on its domain's LAN, plus a pod namespace on the node's pod CIDR.
/// The node holds the first host address of the pod CIDR on its <c>cni0</c> bridge (as flannel does); the lab's
/// single pod per node takes the second.
/// </summary>
/// <param name="LabName">Short name used in namespace and interface names, e.g. <c>hz-1</c>.</param>
/// <param name="NodeName">The Kubernetes node name the agent on this node registers as.</param>
/// <param name="LanAddress">The node's InternalIP on its domain's LAN.</param>
/// <param name="PodCidr">The node's <c>spec.podCIDR</c>.</param>
public sealed record LabNode(string LabName, string NodeName, IPAddress LanAddress, IPNetwork PodCidr)
{
    public IPAddress PodGatewayAddress => Ipv4.Host(PodCidr, 1);

    public IPAddress PodAddress => Ipv4.Host(PodCidr, 2);
}
