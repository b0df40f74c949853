using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Agent;

/// <summary>
/// Test classes that drive an <see cref="AgentLab"/>: its WireGuard interface names, and so the UAPI sockets under
/// /var/run/wireguard, are host-global, so these classes run one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AgentLabCollection
{
    public const string Name = "agent lab";
}
