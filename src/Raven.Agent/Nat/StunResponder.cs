using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Raven.Agent.Nat;

/// <summary>
/// The STUN responder the exposed cloud gateway's agent runs so that edges learn their public address, port and NAT
/// behaviour without any public STUN service. Opens three UDP sockets per address (primary, alternate, send-only
/// change source), answers through <see cref="StunRequestHandler"/> and rate-limits replies per source. Sockets are
/// bound on the calling thread, so a caller inside a network namespace gets them there.
/// </summary>
public sealed partial class StunResponder : IAsyncDisposable
{
    private const int ReceiveBufferBytes = 2048;
    private readonly Dictionary<ResponderSocket, Socket> sockets;
    private readonly StunResponderLayout layout;
    private readonly SourceRateLimiter limiter;
    private readonly Lock limiterLock = new();
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> loops = [];
    private long answered;
    private long rateLimited;
    private long ignored;

    private StunResponder(StunResponderOptions options, Dictionary<ResponderSocket, Socket> sockets, TimeProvider time, ILogger logger)
    {
        layout = options.Layout;
        this.sockets = sockets;
        this.logger = logger;
        limiter = new SourceRateLimiter(options.RateLimit, time);
    }

    public long Answered => Interlocked.Read(ref answered);

    public long RateLimited => Interlocked.Read(ref rateLimited);

    public long Ignored => Interlocked.Read(ref ignored);

    /// <summary>The local endpoints actually bound, by socket.</summary>
    public IReadOnlyDictionary<ResponderSocket, IPEndPoint> LocalEndpoints =>
        sockets.ToDictionary(kv => kv.Key, kv => (IPEndPoint)kv.Value.LocalEndPoint!);

    /// <summary>Binds every socket (failing with the port named if one is taken) and starts serving.</summary>
    public static StunResponder Start(StunResponderOptions options, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Layout.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        if (options.Layout.SecondaryAddress is not null && options.SecondaryBindAddress is null)
        {
            throw new ArgumentException("stun secondary bind address is required with a secondary address", nameof(options));
        }

        var bound = new Dictionary<ResponderSocket, Socket>();
        try
        {
            foreach (var id in options.Layout.Sockets())
            {
                var bindAddress = id.Secondary ? options.SecondaryBindAddress! : options.PrimaryBindAddress;
                var endpoint = new IPEndPoint(bindAddress, options.Layout.PortOf(id.Role));
                var socket = new Socket(bindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                bound.Add(id, socket);
                try
                {
                    socket.Bind(endpoint);
                }
                catch (SocketException ex)
                {
                    throw new InvalidOperationException($"stun responder cannot bind {id} socket to {endpoint}: {ex.Message}", ex);
                }
            }
        }
        catch
        {
            foreach (var socket in bound.Values)
            {
                socket.Dispose();
            }

            throw;
        }

        var responder = new StunResponder(options, bound, time ?? TimeProvider.System, logger ?? NullLogger.Instance);
        foreach (var (id, socket) in bound)
        {
            responder.loops.Add(Task.Run(() => responder.ServeAsync(id, socket)));
        }

        responder.LogStarted(string.Join(", ", bound.Select(kv => $"{kv.Key} {kv.Value.LocalEndPoint}")), options.Layout.PrimaryAddress);
        return responder;
    }

    public async ValueTask DisposeAsync()
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        await stopping.CancelAsync();
        foreach (var socket in sockets.Values)
        {
            socket.Dispose();
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
        stopping.Dispose();
    }

    private async Task ServeAsync(ResponderSocket id, Socket socket)
    {
        var buffer = new byte[ReceiveBufferBytes];
        EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (!stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.MessageSize or SocketError.ConnectionReset or SocketError.ConnectionRefused)
            {
                Interlocked.Increment(ref ignored);
                continue;
            }

            var source = (IPEndPoint)received.RemoteEndPoint;
            var reply = StunRequestHandler.Handle(buffer.AsMemory(0, received.ReceivedBytes), source, id, layout);
            if (reply is null)
            {
                Interlocked.Increment(ref ignored);
                continue;
            }

            bool allowed;
            lock (limiterLock)
            {
                allowed = limiter.TryAcquire(source.Address);
            }

            if (!allowed)
            {
                Interlocked.Increment(ref rateLimited);
                continue;
            }

            try
            {
                await sockets[reply.From].SendToAsync(reply.Datagram, SocketFlags.None, source, stopping.Token).ConfigureAwait(false);
                Interlocked.Increment(ref answered);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                LogSendFailed(source, reply.From, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "STUN responder for {Advertised} serving on {Sockets}")]
    private partial void LogStarted(string sockets, IPAddress advertised);

    [LoggerMessage(Level = LogLevel.Warning, Message = "STUN responder: reply to {Client} from {Socket} failed: {Error}")]
    private partial void LogSendFailed(IPEndPoint client, ResponderSocket socket, string error);
}
