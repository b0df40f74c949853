using System.Diagnostics;
using Raven.Agent.Tunnel;

namespace Raven.TestSupport.Network;

/// <summary>When each step of a convergence happened, from the apply on; a step never reached is absent.</summary>
public sealed record ConvergenceResult(TimeSpan? ToEdge, TimeSpan? ToCloud, IReadOnlyList<(string Step, TimeSpan At)> Timeline)
{
    public string Describe() => string.Join(", ", Timeline.OrderBy(t => t.At).Select(t => $"{t.Step} {t.At.TotalMilliseconds:0} ms"));
}

/// <summary>
/// Convergence (issue 15 item 6): the lab's Gateways applied to agents that already run, then the first packet across
/// domains. Pings every 50 ms both ways between the cloud member's pod and the NATed edge member's pod from the
/// moment of the apply; meanwhile polls every 20 ms when each gateway published its key, configured its peer and
/// saw the connection up, so the figure can be explained step by step.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class Convergence
{
    public static async Task<ConvergenceResult> MeasureAsync(AgentLab lab, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var gateways = lab.Inputs.Current.Gateways.ToArray();
        var config = lab.Inputs.Current.AgentConfig;
        lab.Inputs.Clear();
        // Clear also drops raven-agent-config, which the VXLAN cable needs (vxlan-allow-untrusted-underlay): keep it.
        lab.Inputs.SetAgentConfig(new Dictionary<string, string>(config, StringComparer.Ordinal));
        await lab.StartAllAsync();
        if (!await AgentLab.WaitUntilAsync(() => lab.Nodes.Values.All(n => n.Engine!.LastReport is not null), TimeSpan.FromSeconds(20)))
        {
            throw new TimeoutException("an engine never ran its first pass without Gateways");
        }

        var timeline = new List<(string, TimeSpan)>();
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        using var toEdge = FirstReply.Start(lab["cloud-w"].Pod.Name, lab["a-w"].PodIp, deadline);
        using var toCloud = FirstReply.Start(lab["a-w"].Pod.Name, lab["cloud-w"].PodIp, deadline);
        // The pings' times count from their own start (about when the clock started): move them to the apply.
        var applied = clock.Elapsed;
        lab.Inputs.SetGateways(gateways);
        var watch = Task.Run(() => WatchAsync(lab, clock, timeline, stop.Token));
        var (edge, cloud) = (await toEdge.WaitAsync(), await toCloud.WaitAsync());
        await stop.CancelAsync();
        await watch;
        return new ConvergenceResult(edge - applied, cloud - applied, [.. timeline.Select(t => (t.Item1, t.Item2 - applied))]);
    }

    private static async Task WatchAsync(AgentLab lab, Stopwatch clock, List<(string, TimeSpan)> timeline, CancellationToken token)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Mark(string step)
        {
            if (seen.Add(step))
            {
                lock (timeline)
                {
                    timeline.Add((step, clock.Elapsed));
                }
            }
        }

        while (!token.IsCancellationRequested)
        {
            foreach (var (name, domain) in new[] { ("cloud-gw", "cloud"), ("a-gw", "edge-a") })
            {
                var published = lab.Inputs.Get(domain)?.Spec.Endpoints?.FirstOrDefault(e => e.NodeName == name)?.Config?.Count > 0;
                if (published)
                {
                    Mark($"{name} published");
                }

                if (lab[name].Tunnel is { } tunnel)
                {
                    try
                    {
                        var connections = await tunnel.ConnectionsAsync(token);
                        if (connections.Count > 0)
                        {
                            Mark($"{name} peer configured");
                        }

                        if (connections.Any(c => c.State == TunnelConnectionState.Up))
                        {
                            Mark($"{name} connection up");
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
                    {
                        // The daemon is not there yet.
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }

            try
            {
                await Task.Delay(20, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
