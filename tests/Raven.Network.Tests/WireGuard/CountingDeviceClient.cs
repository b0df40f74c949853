using Raven.Agent.Tunnel.WireGuard;

namespace Raven.Network.Tests.WireGuard;

/// <summary>Counts the set messages that actually reach the daemon.</summary>
internal sealed class CountingDeviceClient(IWireGuardDeviceClient inner) : IWireGuardDeviceClient
{
    private int sets;

    public int Sets => Volatile.Read(ref sets);

    public Task<WireGuardDevice> GetDeviceAsync(CancellationToken cancellationToken) => inner.GetDeviceAsync(cancellationToken);

    public Task ConfigureAsync(DeviceConfig config, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref sets);
        return inner.ConfigureAsync(config, cancellationToken);
    }
}
