using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Raven.Agent.Linux;
using Raven.Agent.Linux.Processes;
using Raven.Lab.Shell;

namespace Raven.Lab.Run;

/// <summary>Traffic the checks send, always from inside a lab namespace.</summary>
public sealed class LabProbe(ICommandRunner runner)
{
    /// <summary>One ping with a one-second deadline.</summary>
    public async Task<bool> PingAsync(string netns, IPAddress target, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new CommandLine("ip", "netns", "exec", netns, "ping", "-c", "1", "-W", "1", "-n", target.ToString()), cancellationToken)
            .ConfigureAwait(false);
        return result.Succeeded;
    }

    /// <summary>Pings until one answers or the deadline passes; returns how long it took, or null.</summary>
    public async Task<TimeSpan?> PingUntilAsync(string netns, IPAddress target, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < deadline)
        {
            if (await PingAsync(netns, target, cancellationToken).ConfigureAwait(false))
            {
                return watch.Elapsed;
            }
        }

        return null;
    }

    /// <summary>An HTTP GET whose TCP connection is opened inside <paramref name="netns"/>.</summary>
    public static async Task<(int Status, string Body)> HttpGetAsync(string netns, Uri url, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = (context, _) => ValueTask.FromResult<Stream>(NetworkNamespace.Run(netns, () =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Connect(context.DnsEndPoint.Host, context.DnsEndPoint.Port);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            })),
            UseProxy = false,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }
}
