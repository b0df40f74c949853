using System.Globalization;
using System.Net;
using k8s;
using Raven.Agent.Linux.Processes;
using Raven.Api;
using Raven.Api.DataPlane;
using Raven.Api.V1Beta1;
using Raven.Kube.Client;
using Raven.Lab.Topology;

namespace Raven.Lab.Run;

/// <summary>
/// Which way hangzhou reaches qingdao, observed: the path hangzhou's serving endpoint reports on its agent Lease
/// (direct, or relayed via a gateway), held against the relay's tunnel device during a burst of pings between the
/// two edges' pods. Relayed, the burst crosses the relay; direct, it does not.
/// </summary>
public sealed class LabEdgePath(LabRunner lab, KubeClient client, ICommandRunner runner)
{
    public const string Name = "edge <-> edge path (hangzhou -> qingdao)";
    private const int Count = 40;
    private const int Size = 1200;
    private static readonly TimeSpan ReportDeadline = TimeSpan.FromSeconds(25);

    public async Task<LabCheck> CheckAsync(IReadOnlyList<Gateway> gateways, CancellationToken cancellationToken)
    {
        var source = Serving(gateways, "gw-hangzhou");
        var relay = Serving(gateways, "gw-cloud");
        if (source is null || relay is null)
        {
            return new LabCheck(Name, false, "gw-hangzhou or gw-cloud has no active tunnel endpoint");
        }

        var reported = await ReportedPathAsync(source, cancellationToken).ConfigureAwait(false);
        if (reported is null)
        {
            return new LabCheck(Name, false, $"{source}'s agent reported no path to gw-qingdao within {ReportDeadline.TotalSeconds:0}s");
        }

        var device = Device(lab.VpnDriver);
        var relayNs = lab.Topology.Names.Node(lab.Topology.Node(relay));
        var before = (await LabDeviceCounters.ReadAsync(runner, relayNs, device, cancellationToken).ConfigureAwait(false)).Rx;
        var ping = await runner.RunAsync(new CommandLine("ip", "netns", "exec", lab.Topology.Names.Pod(lab.Topology.Node("hz-2")), "ping", "-n", "-q",
            "-c", Count.ToString(CultureInfo.InvariantCulture), "-i", "0.02", "-s", Size.ToString(CultureInfo.InvariantCulture), "-W", "2",
            lab.Topology.Node("qd-2").PodAddress.ToString()), cancellationToken).ConfigureAwait(false);
        var crossed = (await LabDeviceCounters.ReadAsync(runner, relayNs, device, cancellationToken).ConfigureAwait(false)).Rx - before;
        if (!ping.Succeeded)
        {
            return new LabCheck(Name, false, $"the burst hz-2 -> qd-2 got no replies: {ping.StandardOutput.Trim()}");
        }

        const long burst = (long)Count * Size;
        var relayed = reported.Path.StartsWith("relay:", StringComparison.Ordinal);
        var observed = crossed >= burst;
        var seen = $"{relay}'s {device} received {crossed.ToString(CultureInfo.InvariantCulture)} B during a {burst.ToString(CultureInfo.InvariantCulture)} B burst";
        var said = $"{source} reports {reported.Path} via {reported.Via}" + (reported.Reason is { Length: > 0 } reason ? $" ({reason})" : "");
        return relayed == observed
            ? new LabCheck(Name, true, $"{said}; {seen}", relayed ? $"relayed via {relay}" : "direct")
            : new LabCheck(Name, false, $"{said}, but {seen}: the traffic {(observed ? "crosses the relay" : "does not cross the relay")}");
    }

    /// <summary>The agent writes its connection report once its probes have measured the paths: soon after start-up, not at once.</summary>
    private async Task<DomainConnection?> ReportedPathAsync(string node, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var lease = await client.Api.CoordinationV1.ReadNamespacedLeaseAsync(Raven.Controller.Runtime.NodeFactsReader.AgentLeasePrefix + node, WellKnown.WorkingNamespace,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            var report = ConnectionReport.TryParse(lease.Metadata.Annotations?.TryGetValue(ConnectionReport.Annotation, out var text) == true ? text : null);
            if (report?.Domains.FirstOrDefault(d => d.Domain == "gw-qingdao" && d.Path.Length > 0) is { } found)
            {
                return found;
            }

            if (clock.Elapsed > ReportDeadline)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }
    }

    private static string? Serving(IReadOnlyList<Gateway> gateways, string gateway) =>
        gateways.FirstOrDefault(g => g.Name == gateway)?.Status.ActiveEndpoints?.FirstOrDefault(e => e.Type == WellKnown.EndpointTypeTunnel)?.NodeName;

    /// <summary>The device a backend's tunnel traffic passes on a gateway (the relay receives relayed packets on it).</summary>
    private static string Device(string vpnDriver) => vpnDriver switch
    {
        Raven.Agent.Tunnel.IPsec.IpsecProfile.BackendName => "ipsec0", // IpsecBackend.DefaultDevice: kernel-libipsec's TUN device
        Raven.Agent.Tunnel.Vxlan.VxlanCableProfile.BackendName => Raven.Agent.Tunnel.Vxlan.VxlanCableProfile.DeviceName,
        _ => Raven.Agent.Planning.KernelNames.WireGuardDevice,
    };
}
