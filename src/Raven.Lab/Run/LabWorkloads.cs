using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Raven.Kube.Client;
using Raven.Lab.Pods;

namespace Raven.Lab.Run;

/// <summary>
/// `raven lab workloads`, in the root namespace beside the API server: the DaemonSet/Deployment controllers, and
/// the forwarder from <see cref="LabPaths.ApiTlsSocket"/> to the API server's HTTPS port on loopback (read from its
/// kubeconfig for every connection, so a restarted API server on another port is found).
/// </summary>
public static class LabWorkloads
{
    public static async Task RunAsync(KubeClient client, LabPaths paths, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        await using var forwarder = SocketForwarder.Start(new UnixDomainSocketEndPoint(paths.ApiTlsSocket), () => ApiEndpoint(paths.Kubeconfig), logger);
        try
        {
            await new WorkloadController(client, logger).RunAsync(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("workload controllers stopped");
        }
    }

    /// <summary>host:port of the kubeconfig's server, or null while it does not exist.</summary>
    public static EndPoint? ApiEndpoint(string kubeconfig)
    {
        try
        {
            var line = File.ReadLines(kubeconfig).Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("server:", StringComparison.Ordinal));
            if (line is null || !Uri.TryCreate(line["server:".Length..].Trim().Trim('"'), UriKind.Absolute, out var url) || !IPAddress.TryParse(url.Host, out var ip))
            {
                return null;
            }

            return new IPEndPoint(ip, url.Port);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
