using Raven.Agent.Health.Protocol;
using Raven.Api.DataPlane;

namespace Raven.Agent.Engine;

/// <summary>
/// Publishes the data plane's decisions (the probe monitor's serving choices and this node's claim) on the agent
/// Lease for the controller to follow. Reads in-memory state every <see cref="Every"/> and hands the lease a new text
/// only when it changed, so a steady node writes nothing extra.
/// </summary>
/// <param name="mtu">The engine's last MTU reading (<see cref="AgentEngine.Mtu"/>): cached there, so looking every 100 ms reads no kernel.</param>
public sealed class DataPlaneReporter(Func<IReadOnlyDictionary<string, string>> serving, Func<GatewayClaim> claim, Action<string?> publish,
    Func<MtuReport?>? mtu = null)
{
    /// <summary>A take-over reaches the lease within this plus one API round trip (the decisions themselves run every 50 ms).</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(100);

    public static DataPlaneReport Render(IReadOnlyDictionary<string, string> serving, GatewayClaim claim, MtuReport? mtu = null) => new()
    {
        // A member or a standby that never served has nothing to claim.
        Claim = claim == GatewayClaim.None ? null : new DataPlaneClaim { Serving = claim.Serving, Yielding = claim.Yielding, Epoch = claim.Epoch },
        Serving = new SortedDictionary<string, string>(serving.ToDictionary(), StringComparer.Ordinal),
        Mtu = mtu,
    };

    /// <summary>One look; returns the text published (tests call it directly).</summary>
    public string PublishOnce()
    {
        var text = Render(serving(), claim(), mtu?.Invoke()).Serialize();
        publish(text);
        return text;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Every);
        try
        {
            do
            {
                PublishOnce();
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
