using System.Net;
using Microsoft.Extensions.Logging;
using Raven.Agent.Linux;
using Raven.Agent.Planning;
using Raven.Api.DataPlane;

namespace Raven.Agent.Engine;

/// <summary>
/// The engine's MTU report: the inputs of the last pass, and the reading <see cref="MtuObservation"/> makes of the
/// kernel from them. The caller serializes calls (the engine holds its apply gate: one netlink user at a time).
/// </summary>
internal sealed class MtuObserver(ILinkReader? links, string tunnelDevice, ILogger logger)
{
    private (NetworkPlan Plan, int UnderlayMtu, IPAddress? NodeIp)? _inputs;
    private volatile MtuReport? _report;

    /// <summary>The last reading; null before the first pass or without a kernel to read.</summary>
    public MtuReport? Report => _report;

    /// <summary>A pass applied <paramref name="plan"/>: read again for it.</summary>
    public void Applied(NetworkPlan plan, int underlayMtu, IPAddress? nodeIp)
    {
        _inputs = (plan, underlayMtu, nodeIp);
        Observe();
    }

    /// <summary>
    /// Reads the kernel for the last pass's plan. Only a report: a failed read keeps the last one and is logged, never
    /// thrown (it must not fail a pass, which would retry the whole apply with backoff).
    /// </summary>
    public void Observe()
    {
        if (links is null || _inputs is not var (plan, underlay, nodeIp))
        {
            return;
        }

        try
        {
            _report = MtuObservation.Read(links, plan, underlay, nodeIp, tunnelDevice);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException)
        {
            // The last reading stays; the next pass or tick reads again.
            logger.LogWarning("reading device MTUs failed: {Error}", ex.Message);
        }
    }
}
