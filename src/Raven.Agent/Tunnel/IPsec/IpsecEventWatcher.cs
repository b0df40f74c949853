using Microsoft.Extensions.Logging;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// Follows charon's ike-updown and child-updown events on a connection of its own: one log line per SA going up or
/// down, and a per-connection count of re-establishments. When charon restarts the stream breaks; the watcher
/// subscribes again after a short pause.
/// </summary>
internal sealed class IpsecEventWatcher : IAsyncDisposable
{
    private static readonly string[] Events = ["ike-updown", "child-updown"];

    private readonly ViciClient client;
    private readonly TimeSpan retryDelay;
    private readonly ILogger logger;
    private readonly Dictionary<string, Counter> counters = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private CancellationTokenSource? stop;
    private Task? loop;

    public IpsecEventWatcher(ViciClient client, TimeSpan retryDelay, ILogger logger)
    {
        this.client = client;
        this.retryDelay = retryDelay;
        this.logger = logger;
    }

    public void Start()
    {
        if (loop is not null)
        {
            return;
        }

        stop = new CancellationTokenSource();
        var token = stop.Token;
        loop = Task.Run(() => WatchAsync(token), CancellationToken.None);
    }

    /// <summary>
    /// Starts counting a connection; <paramref name="initialPending"/> says its next "up" is a first establishment
    /// (just loaded, or found without an SA), not a reconnect. A connection already counted keeps its count.
    /// </summary>
    public void Track(string connection, bool initialPending)
    {
        lock (gate)
        {
            if (counters.TryGetValue(connection, out var counter))
            {
                counter.InitialPending |= initialPending;
            }
            else
            {
                counters[connection] = new Counter { InitialPending = initialPending };
            }
        }
    }

    public void Forget(string connection)
    {
        lock (gate)
        {
            counters.Remove(connection);
        }
    }

    public int Reconnects(string connection)
    {
        lock (gate)
        {
            return counters.TryGetValue(connection, out var counter) ? counter.Reconnects : 0;
        }
    }

    public async Task StopAsync()
    {
        if (stop is null || loop is null)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        stop.Dispose();
        stop = null;
        loop = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task WatchAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                await foreach (var raised in client.ListenAsync(Events, token).ConfigureAwait(false))
                {
                    Handle(raised);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException or FormatException)
            {
                logger.LogDebug("charon event stream on {Socket} ended ({Error}); subscribing again", client.SocketPath, ex.Message);
            }

            try
            {
                await Task.Delay(retryDelay, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Handle(ViciEvent raised)
    {
        bool up;
        IkeSa sa;
        try
        {
            (up, sa) = CharonParser.ParseUpDown(raised.Message);
        }
        catch (FormatException ex)
        {
            logger.LogWarning("Unreadable charon {Event} event: {Error}", raised.Name, ex.Message);
            return;
        }

        if (raised.Name == "ike-updown")
        {
            if (up)
            {
                CountUp(sa.Connection);
                logger.LogInformation(
                    "IPsec {Connection}: IKE SA #{Id} up with {Remote}:{Port}{Nat}",
                    sa.Connection, sa.UniqueId, sa.RemoteHost, sa.RemotePort, sa.NatLocal || sa.NatRemote ? " (NAT)" : "");
            }
            else
            {
                logger.LogWarning("IPsec {Connection}: IKE SA #{Id} with {Remote} down", sa.Connection, sa.UniqueId, sa.RemoteHost);
            }
        }
        else if (sa.Children is [var child, ..])
        {
            logger.Log(
                up ? LogLevel.Information : LogLevel.Warning,
                "IPsec {Connection}: CHILD SA #{Id} {Direction} ({Local} === {Remote})",
                sa.Connection, child.UniqueId, up ? "installed" : "removed",
                string.Join(",", child.LocalTrafficSelectors), string.Join(",", child.RemoteTrafficSelectors));
        }
    }

    private void CountUp(string connection)
    {
        lock (gate)
        {
            if (!counters.TryGetValue(connection, out var counter))
            {
                return;
            }

            if (counter.InitialPending)
            {
                counter.InitialPending = false;
            }
            else
            {
                counter.Reconnects++;
            }
        }
    }

    private sealed class Counter
    {
        public bool InitialPending { get; set; }

        public int Reconnects { get; set; }
    }
}
