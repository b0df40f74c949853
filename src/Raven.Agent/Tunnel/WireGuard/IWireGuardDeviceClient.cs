namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>Reads and configures one WireGuard device; the UAPI client implements it, tests fake it.</summary>
public interface IWireGuardDeviceClient
{
    Task<WireGuardDevice> GetDeviceAsync(CancellationToken cancellationToken);

    Task ConfigureAsync(DeviceConfig config, CancellationToken cancellationToken);
}
