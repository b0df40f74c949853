using System.Net.Sockets;
using System.Text;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>
/// Speaks the WireGuard cross-platform UAPI over the daemon's Unix socket, one connection per request.
/// The socket lives on the filesystem, not in a network namespace, so interface names must be unique per host
/// (or each daemon needs its own <see cref="UapiSocket.DefaultDirectory"/>).
/// </summary>
public sealed class UapiClient : IWireGuardDeviceClient
{
    private const int MaxReplyBytes = 16 * 1024 * 1024;

    public UapiClient(string socketPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(socketPath);
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    /// <summary>Bounds one request, so a hung daemon cannot stall the caller (or the supervisor's liveness check).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public static UapiClient ForInterface(string interfaceName, string socketDirectory = UapiSocket.DefaultDirectory) =>
        new(UapiSocket.PathFor(interfaceName, socketDirectory));

    public async Task<WireGuardDevice> GetDeviceAsync(CancellationToken cancellationToken)
    {
        var reply = await RoundTripAsync("get=1\n\n", cancellationToken).ConfigureAwait(false);
        return UapiParser.ParseDevice(reply, SocketPath);
    }

    /// <summary>Sends one <c>set=1</c> message. An empty config is not sent.</summary>
    public async Task ConfigureAsync(DeviceConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.IsEmpty)
        {
            return;
        }

        var reply = await RoundTripAsync(UapiWriter.WriteSet(config), cancellationToken).ConfigureAwait(false);
        var errno = ParseErrno(reply);
        if (errno != 0)
        {
            throw new UapiException("set", SocketPath, errno);
        }
    }

    /// <summary>True when a daemon accepts connections and answers <c>get=1</c>; false for a missing or stale socket.</summary>
    public async Task<bool> IsAliveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await GetDeviceAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException or FormatException)
        {
            return false;
        }
    }

    private async Task<string> RoundTripAsync(string request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            return await ExchangeAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"WireGuard UAPI socket {SocketPath} did not answer within {RequestTimeout}.");
        }
    }

    private async Task<string> ExchangeAsync(string request, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cancellationToken).ConfigureAwait(false);

        var reply = new StringBuilder();
        var buffer = new byte[4096];
        while (!EndsWithBlankLine(reply))
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"WireGuard UAPI socket {SocketPath} closed before the reply ended.");
            }

            reply.Append(Encoding.ASCII.GetString(buffer, 0, read));
            if (reply.Length > MaxReplyBytes)
            {
                throw new IOException($"WireGuard UAPI reply from {SocketPath} exceeds {MaxReplyBytes} bytes.");
            }
        }

        return reply.ToString();
    }

    private static bool EndsWithBlankLine(StringBuilder text) =>
        text.Length >= 2 && text[^1] == '\n' && text[^2] == '\n';

    private int ParseErrno(string reply)
    {
        const string prefix = "errno=";
        var line = reply.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
            ?? throw new IOException($"Empty WireGuard UAPI set reply from {SocketPath}.");
        return line.StartsWith(prefix, StringComparison.Ordinal)
            ? UapiParser.ParseInt("errno", line[prefix.Length..])
            : throw new FormatException($"Unexpected WireGuard UAPI set reply line \"{line}\" from {SocketPath}.");
    }
}
