namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>Reads the device, diffs it against the desired state and sends only the difference.</summary>
public sealed class DeviceReconciler(IWireGuardDeviceClient client)
{
    /// <summary>Returns the change that was sent; <see cref="DeviceConfig.IsEmpty"/> when nothing was sent.</summary>
    public async Task<DeviceConfig> ApplyAsync(DesiredDevice desired, CancellationToken cancellationToken)
    {
        var actual = await client.GetDeviceAsync(cancellationToken).ConfigureAwait(false);
        var change = ConfigDiff.Compute(desired, actual);
        if (!change.IsEmpty)
        {
            await client.ConfigureAsync(change, cancellationToken).ConfigureAwait(false);
        }

        return change;
    }
}
