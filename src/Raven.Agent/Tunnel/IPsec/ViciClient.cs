using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// Speaks VICI to charon over its Unix socket. Every command gets its own connection (VICI has no request ids, so a
/// connection carries one command at a time, and a fresh one never sees a stale answer); a live event stream holds
/// a connection of its own. Requests are bounded by <see cref="RequestTimeout"/>; charon's <c>success = no</c>
/// becomes a <see cref="ViciException"/> carrying its errmsg.
/// </summary>
public sealed class ViciClient
{
    public ViciClient(string socketPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(socketPath);
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    /// <summary>Bounds one command, streamed events included, so a hung charon cannot stall the caller.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Sends a command and returns charon's response message, whatever its <c>success</c> says.</summary>
    /// <exception cref="ViciException">charon does not know the command.</exception>
    /// <exception cref="TimeoutException">No response within <see cref="RequestTimeout"/>.</exception>
    public Task<ViciSection> CallAsync(string command, ViciSection? arguments, CancellationToken cancellationToken) =>
        BoundedAsync(command, async token =>
        {
            using var connection = await ViciConnection.OpenAsync(SocketPath, token).ConfigureAwait(false);
            await connection.SendAsync(ViciPacket.Request(command, arguments), token).ConfigureAwait(false);
            return await ReadResponseAsync(connection, command, events: null, token).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Like <see cref="CallAsync"/>, but a response with <c>success</c> other than <c>yes</c> throws.</summary>
    /// <exception cref="ViciException">The command failed (with charon's errmsg) or is unknown.</exception>
    public async Task<ViciSection> CommandAsync(string command, ViciSection? arguments, CancellationToken cancellationToken)
    {
        var response = await CallAsync(command, arguments, cancellationToken).ConfigureAwait(false);
        EnsureSuccess(command, response);
        return response;
    }

    /// <summary>
    /// Runs a command that answers with a stream of <paramref name="eventName"/> events followed by the response
    /// (list-sas, list-conns). The registration lives and dies with the command's own connection.
    /// </summary>
    public Task<ViciStreamResult> StreamAsync(string command, string eventName, ViciSection? arguments, CancellationToken cancellationToken) =>
        BoundedAsync(command, async token =>
        {
            using var connection = await ViciConnection.OpenAsync(SocketPath, token).ConfigureAwait(false);
            await RegisterAsync(connection, eventName, token).ConfigureAwait(false);
            await connection.SendAsync(ViciPacket.Request(command, arguments), token).ConfigureAwait(false);
            var events = new List<ViciSection>();
            var response = await ReadResponseAsync(connection, command, (eventName, events), token).ConfigureAwait(false);
            return new ViciStreamResult(events, response);
        }, cancellationToken);

    /// <summary>
    /// Registers for the named events on a dedicated connection and yields them as charon raises them, until the
    /// token is cancelled or charon goes away (then the enumeration throws <see cref="IOException"/>).
    /// Registration itself is bounded by <see cref="RequestTimeout"/>; waiting for events is not.
    /// </summary>
    public async IAsyncEnumerable<ViciEvent> ListenAsync(
        IReadOnlyList<string> eventNames,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventNames);
        var connection = await BoundedAsync("event registration", async token =>
        {
            var opened = await ViciConnection.OpenAsync(SocketPath, token).ConfigureAwait(false);
            try
            {
                foreach (var name in eventNames)
                {
                    await RegisterAsync(opened, name, token).ConfigureAwait(false);
                }

                return opened;
            }
            catch
            {
                opened.Dispose();
                throw;
            }
        }, cancellationToken).ConfigureAwait(false);

        using (connection)
        {
            while (true)
            {
                var packet = await connection.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                if (packet.Type != ViciPacketType.Event)
                {
                    throw new ViciException(ViciFailure.Protocol, "event stream", SocketPath, $"a {packet.Type} packet");
                }

                yield return new ViciEvent(packet.Name!, packet.Message!);
            }
        }
    }

    /// <summary>True when charon accepts a connection and answers <c>version</c>; false for a missing or stale socket.</summary>
    public async Task<bool> IsAliveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync("version", null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException or FormatException)
        {
            return false;
        }
    }

    internal static void EnsureSuccess(string command, ViciSection response, string socketPath)
    {
        var success = response.Text("success");
        if (success is not null && success != "yes")
        {
            throw new ViciException(ViciFailure.CommandFailed, command, socketPath, response.Text("errmsg"));
        }
    }

    private void EnsureSuccess(string command, ViciSection response) => EnsureSuccess(command, response, SocketPath);

    private async Task RegisterAsync(ViciConnection connection, string eventName, CancellationToken token)
    {
        await connection.SendAsync(ViciPacket.Register(eventName), token).ConfigureAwait(false);
        var answer = await connection.ReceiveAsync(token).ConfigureAwait(false);
        switch (answer.Type)
        {
            case ViciPacketType.EventConfirm:
                return;
            case ViciPacketType.EventUnknown:
                throw new ViciException(ViciFailure.UnknownEvent, eventName, SocketPath);
            default:
                throw new ViciException(ViciFailure.Protocol, $"registration for {eventName}", SocketPath, $"a {answer.Type} packet");
        }
    }

    private async Task<ViciSection> ReadResponseAsync(
        ViciConnection connection,
        string command,
        (string Name, List<ViciSection> Into)? events,
        CancellationToken token)
    {
        while (true)
        {
            var packet = await connection.ReceiveAsync(token).ConfigureAwait(false);
            switch (packet.Type)
            {
                case ViciPacketType.CommandResponse:
                    return packet.Message!;
                case ViciPacketType.CommandUnknown:
                    throw new ViciException(ViciFailure.UnknownCommand, command, SocketPath);
                case ViciPacketType.Event when events is { } stream && packet.Name == stream.Name:
                    stream.Into.Add(packet.Message!);
                    break;
                case ViciPacketType.Event:
                    break; // Not ours: this connection registered for nothing else, but be lenient.
                default:
                    throw new ViciException(ViciFailure.Protocol, command, SocketPath, $"a {packet.Type} packet");
            }
        }
    }

    private async Task<T> BoundedAsync<T>(string subject, Func<CancellationToken, Task<T>> exchange, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            return await exchange(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"charon did not answer VICI {subject} on {SocketPath} within {RequestTimeout}.");
        }
    }
}
