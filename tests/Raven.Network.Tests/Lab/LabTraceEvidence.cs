using Raven.Cli.Trace;
using Raven.Lab.Run;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Lab;

/// <summary>
/// What `raven trace` says about the lab, run as an operator runs it (the raven binary, the lab's kubeconfig), and
/// the kernel's own counters to hold it against: a device's bytes in its node's namespace, the namespace's
/// forwarded datagrams.
/// </summary>
internal static class LabTraceEvidence
{
    public static TraceReport Trace(LabRunner lab, string source, string destination)
    {
        var (code, stdout, stderr) = LabRavenCli.Run(lab, "trace", source, destination, "-o", "json");
        var report = stdout.Length > 0 ? TraceFormats.FromJson(stdout) : null;
        report.Should().NotBeNull($"raven trace printed a report (exit {code}): {stderr}");
        return report!;
    }

    /// <summary>`raven status -o json` against the lab's kubeconfig.</summary>
    public static Raven.Cli.Status.StatusReport Status(LabRunner lab)
    {
        var (code, stdout, stderr) = LabRavenCli.Run(lab, "status", "-o", "json");
        var report = stdout.Length > 0 ? Raven.Cli.Status.StatusFormats.FromJson(stdout) : null;
        report.Should().NotBeNull($"raven status printed a report (exit {code}): {stderr}");
        return report!;
    }

    /// <summary>
    /// `raven graph -o artifacts/network-tests/lab.svg` against the lab's kubeconfig; the SVG stays there (an artifact
    /// of the run). Returns the parsed document.
    /// </summary>
    public static System.Xml.Linq.XDocument Graph(LabRunner lab)
    {
        var svg = Raven.TestSupport.RepositoryRoot.Combine("artifacts", "network-tests", "lab.svg");
        Directory.CreateDirectory(Path.GetDirectoryName(svg)!);
        var (code, stdout, stderr) = LabRavenCli.Run(lab, "graph", "-o", svg);
        code.Should().Be(0, $"raven graph wrote {svg}: {stdout} {stderr}");
        return System.Xml.Linq.XDocument.Load(svg);
    }

    /// <summary>rx and tx bytes of a device in a namespace (0, 0 when it does not exist).</summary>
    public static (long Rx, long Tx) Bytes(string ns, string device) =>
        LabDeviceCounters.ReadAsync(new Raven.Agent.Linux.Processes.ProcessCommandRunner(), ns, device, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Ip: ForwDatagrams of /proc/net/snmp inside the namespace: packets it routed on (a relay's work).</summary>
    public static long Forwarded(string ns)
    {
        var lines = Shell.Run("ip", "netns", "exec", ns, "cat", "/proc/net/snmp").Split('\n').Where(l => l.StartsWith("Ip: ", StringComparison.Ordinal)).ToList();
        var names = lines[0].Split(' ');
        var values = lines[1].Split(' ');
        return long.Parse(values[Array.IndexOf(names, "ForwDatagrams")], System.Globalization.CultureInfo.InvariantCulture);
    }
}
