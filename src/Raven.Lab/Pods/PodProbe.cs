using System.Net.Sockets;
using k8s.Models;

namespace Raven.Lab.Pods;

/// <summary>One probe attempt as kubelet makes it: httpGet (2xx/3xx passes; HTTPS without verifying the certificate) or tcpSocket.</summary>
public static class PodProbe
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        AllowAutoRedirect = false,
        UseProxy = false,
    });

    public static async Task<bool> PassesAsync(V1Probe probe, V1Container container, string podIp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probe);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(probe.TimeoutSeconds ?? 1));
        try
        {
            if (probe.HttpGet is { } get)
            {
                var scheme = get.Scheme?.ToLowerInvariant() == "https" ? "https" : "http";
                var host = string.IsNullOrEmpty(get.Host) ? podIp : get.Host;
                var url = new Uri($"{scheme}://{host}:{Port(get.Port, container)}{(get.Path is { Length: > 0 } p ? p : "/")}");
                using var response = await Http.GetAsync(url, timeout.Token).ConfigureAwait(false);
                return (int)response.StatusCode is >= 200 and < 400;
            }

            if (probe.TcpSocket is { } tcp)
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync(string.IsNullOrEmpty(tcp.Host) ? podIp : tcp.Host, Port(tcp.Port, container), timeout.Token).ConfigureAwait(false);
                return true;
            }

            return true; // exec and grpc probes are not run by the lab: counted as passing
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or OperationCanceledException or IOException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return false;
        }
    }

    /// <summary>A port number, or the name of one of the container's ports.</summary>
    public static int Port(IntOrString port, V1Container container)
    {
        ArgumentNullException.ThrowIfNull(port);
        if (int.TryParse(port.Value, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return container?.Ports?.FirstOrDefault(p => p.Name == port.Value)?.ContainerPort
            ?? throw new ContainerConfigException($"probe port '{port.Value}' is not a port of container {container?.Name}");
    }
}
