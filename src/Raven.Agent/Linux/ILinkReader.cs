using System.Net.Sockets;

namespace Raven.Agent.Linux;

/// <summary>
/// The read side of rtnetlink that reports need (RTM_GETLINK and RTM_GETADDR dumps): <see cref="RtNetlink"/> in the
/// agent, a list of records in tests. Reading never changes the kernel.
/// </summary>
public interface ILinkReader
{
    IReadOnlyList<NetLink> ListLinks();

    IReadOnlyList<NetAddress> ListAddresses(AddressFamily family = AddressFamily.InterNetwork);
}
